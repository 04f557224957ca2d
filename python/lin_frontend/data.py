"""Data sets for lin's experiments, with fixed-seed splits.

Every loader returns a :class:`Split` of float32 inputs and int64 labels:
``train`` (for fitting), ``calib`` (calibration / "prune" data that lin
profiles) and ``test`` (held out). Nothing is downloaded:

* Fashion-MNIST: IDX files of Debian's ``dataset-fashion-mnist`` package
  (``/usr/share/datasets/fashion-mnist``; override with ``$LIN_FASHION_MNIST``).
  Pixels are scaled to [0, 1] and flattened to 784 features, as torchvision's
  ``ToTensor()`` + flatten does in the paper's code.
* scikit-learn's bundled data sets: breast_cancer, wine, digits, iris.
* Titanic: ``/work/shared/data/titanic`` (override with ``$LIN_TITANIC``),
  Kaggle's train.csv turned into the paper's 11 numeric features.
* License text: the licence texts every Debian system has in
  ``/usr/share/common-licenses`` (package ``base-files``; override with
  ``$LIN_LICENSE_TEXT``) as next-character windows (:func:`license_chars`).
"""

from __future__ import annotations

import csv
import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

import numpy as np

__all__ = [
    "Split",
    "read_idx",
    "load_fashion_mnist_raw",
    "fashion_mnist",
    "fashion_mnist_images",
    "license_text",
    "license_chars",
    "one_hot",
    "fashion_mnist_paper_split",
    "sklearn_dataset",
    "titanic",
    "titanic_paper_files",
    "titanic_paper_split",
    "load_dataset",
    "save_split",
    "DATASETS",
]

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
TITANIC_DIR = "/work/shared/data/titanic"
LICENSE_TEXT_DIR = "/usr/share/common-licenses"
DEFAULT_SEED = 0


@dataclass
class Split:
    """Fixed train / calibration / test split (x float32 [N, F], y int64 [N])."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_calib: np.ndarray
    y_calib: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: Optional[list] = None

    @property
    def num_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def num_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_calib.max(), self.y_test.max()) + 1)

    def arrays(self) -> Dict[str, np.ndarray]:
        return {
            "train_x": self.x_train,
            "train_y": self.y_train,
            "calib_x": self.x_calib,
            "calib_y": self.y_calib,
            "test_x": self.x_test,
            "test_y": self.y_test,
        }


def _as_split(x_train, y_train, x_calib, y_calib, x_test, y_test, names=None) -> Split:
    f = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
    i = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    return Split(f(x_train), i(y_train), f(x_calib), i(y_calib), f(x_test), i(y_test), names)


def _split_indices(n: int, fractions: Tuple[float, float, float], seed: int):
    """Shuffle 0..n-1 with ``seed`` and cut into train/calib/test index arrays."""
    if abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError(f"split fractions must sum to 1, got {fractions}")
    perm = np.random.default_rng(seed).permutation(n)
    n_train = int(round(fractions[0] * n))
    n_calib = int(round(fractions[1] * n))
    return perm[:n_train], perm[n_train : n_train + n_calib], perm[n_train + n_calib :]


def _standardize(split: Split) -> Split:
    """Scale features to zero mean / unit variance using train statistics only."""
    mean = split.x_train.mean(axis=0)
    std = split.x_train.std(axis=0)
    std[std == 0] = 1.0
    t = lambda a: ((a - mean) / std).astype(np.float32)  # noqa: E731
    return Split(
        t(split.x_train), split.y_train, t(split.x_calib), split.y_calib,
        t(split.x_test), split.y_test, split.feature_names,
    )


# ---------------------------------------------------------------------------
# Fashion-MNIST
# ---------------------------------------------------------------------------


def read_idx(path: os.PathLike | str) -> np.ndarray:
    """Read an IDX file (optionally gzip-compressed) into a numpy array."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0:
        raise ValueError(f"{path}: not an IDX file")
    dtypes = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=dtypes[dtype_code], offset=4 + 4 * ndim)
    return arr.reshape(dims).astype(arr.dtype.newbyteorder("="))


def _fmnist_file(directory: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem):
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(f"{stem}[.gz] not found in {directory}")


def load_fashion_mnist_raw(directory: Optional[str] = None):
    """Return (x_train [60000,784] f32 in [0,1], y_train, x_test [10000,784], y_test)."""
    d = Path(directory or os.environ.get("LIN_FASHION_MNIST", FASHION_MNIST_DIR))
    load_x = lambda s: (read_idx(_fmnist_file(d, s)).reshape(-1, 784).astype(np.float32) / 255.0)  # noqa: E731
    load_y = lambda s: read_idx(_fmnist_file(d, s)).astype(np.int64)  # noqa: E731
    return (
        load_x("train-images-idx3-ubyte"),
        load_y("train-labels-idx1-ubyte"),
        load_x("t10k-images-idx3-ubyte"),
        load_y("t10k-labels-idx1-ubyte"),
    )


def fashion_mnist(n_calib: int = 10000, seed: int = DEFAULT_SEED, directory: Optional[str] = None) -> Split:
    """Fashion-MNIST: the 60,000 training images shuffled with ``seed`` and cut
    into ``60000 - n_calib`` train / ``n_calib`` calibration images; the
    official 10,000 test images are the test set."""
    x_tr, y_tr, x_te, y_te = load_fashion_mnist_raw(directory)
    perm = np.random.default_rng(seed).permutation(len(x_tr))
    tr, ca = perm[n_calib:], perm[:n_calib]
    return _as_split(x_tr[tr], y_tr[tr], x_tr[ca], y_tr[ca], x_te, y_te)


def fashion_mnist_images(n_calib: int = 5000, seed: int = DEFAULT_SEED,
                         directory: Optional[str] = None) -> Split:
    """:func:`fashion_mnist` with images as ``[N, 1, 28, 28]`` (NCHW), the
    input of a convolutional network; 5,000 calibration images by default."""
    s = fashion_mnist(n_calib, seed, directory)
    img = lambda a: a.reshape(-1, 1, 28, 28)  # noqa: E731
    return Split(img(s.x_train), s.y_train, img(s.x_calib), s.y_calib, img(s.x_test), s.y_test)


def fashion_mnist_paper_split(directory: Optional[str] = None) -> Split:
    """The paper's split: ``torch.utils.data.random_split(train, [50000, 10000],
    generator=torch.Generator().manual_seed(1))``; the 10,000-image validation
    subset is the calibration ("prune") data, the official test set the test set."""
    import torch

    x_tr, y_tr, x_te, y_te = load_fashion_mnist_raw(directory)
    train_sub, val_sub = torch.utils.data.random_split(
        range(len(x_tr)), [50000, 10000], generator=torch.Generator().manual_seed(1)
    )
    tr, ca = np.asarray(train_sub.indices), np.asarray(val_sub.indices)
    return _as_split(x_tr[tr], y_tr[tr], x_tr[ca], y_tr[ca], x_te, y_te)


# ---------------------------------------------------------------------------
# scikit-learn bundled data sets
# ---------------------------------------------------------------------------

_SKLEARN = ("breast_cancer", "wine", "digits", "iris")


def sklearn_dataset(
    name: str,
    seed: int = DEFAULT_SEED,
    fractions: Tuple[float, float, float] = (0.6, 0.2, 0.2),
    standardize: bool = True,
) -> Split:
    """One of scikit-learn's bundled data sets (no download), shuffled with
    ``seed`` into train/calib/test ``fractions``; features standardised with
    train statistics unless ``standardize=False``."""
    import sklearn.datasets as skd

    if name not in _SKLEARN:
        raise ValueError(f"unknown sklearn data set {name!r}; choose from {_SKLEARN}")
    bunch = getattr(skd, f"load_{name}")()
    x, y = bunch.data, bunch.target
    tr, ca, te = _split_indices(len(x), fractions, seed)
    names = [str(n) for n in getattr(bunch, "feature_names", [])]
    split = _as_split(x[tr], y[tr], x[ca], y[ca], x[te], y[te], names or None)
    return _standardize(split) if standardize else split


# ---------------------------------------------------------------------------
# Titanic
# ---------------------------------------------------------------------------

TITANIC_FEATURES = [
    "Pclass", "Age", "SibSp", "Parch", "Fare", "Title", "sp",
    "cabine_n", "IsAlone", "Sex_female", "Sex_male",
]
_TITLE_CODE = {"Mr": 1, "Miss": 4, "Mrs": 5, "Master": 3, "Dr": 2}
_PCLASS_CODE = {1: 3, 2: 2, 3: 1}  # the paper recodes 1st class as 3, 3rd as 1


def _titanic_features(rows) -> np.ndarray:
    """Kaggle rows -> the paper's 11 features (Age/Fare NaN where missing)."""
    out = []
    for r in rows:
        title = r["Name"].split(",")[1].split(".")[0].strip()
        sibsp, parch = int(r["SibSp"]), int(r["Parch"])
        sp = sibsp + parch
        out.append([
            _PCLASS_CODE[int(r["Pclass"])],
            float(r["Age"]) if r["Age"] else np.nan,
            sibsp,
            parch,
            float(r["Fare"]) if r["Fare"] else np.nan,
            _TITLE_CODE.get(title, 0),
            sp,
            1 if r["Cabin"] else 0,
            1 if sp == 0 else 0,
            1 if r["Sex"] == "female" else 0,
            1 if r["Sex"] == "male" else 0,
        ])
    return np.asarray(out, dtype=np.float64)


def titanic(
    seed: int = DEFAULT_SEED,
    fractions: Tuple[float, float, float] = (0.6, 0.2, 0.2),
    standardize: bool = False,
    directory: Optional[str] = None,
) -> Split:
    """Titanic (Kaggle train.csv, 891 labelled passengers) as the paper's 11
    features (see TITANIC_FEATURES), label = Survived.

    Feature engineering follows the paper's Preparation/Titanic_prep.py:
    title codes Mr 1, Dr 2, Master 3, Miss 4, Mrs 5, other 0; Pclass recoded
    1->3, 3->1; sp = SibSp + Parch; cabine_n = has a cabin; IsAlone = (sp == 0);
    one-hot sex; missing Age imputed with sklearn's
    ``IterativeImputer(max_iter=10, random_state=0)`` fitted on all rows.
    The rows are then shuffled with ``seed`` into train/calib/test
    ``fractions``. By default features are left unscaled, as in the paper.
    """
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    d = Path(directory or os.environ.get("LIN_TITANIC", TITANIC_DIR))
    with open(d / "train.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    x = _titanic_features(rows)
    y = np.asarray([int(r["Survived"]) for r in rows])
    x = IterativeImputer(max_iter=10, random_state=0).fit_transform(x)
    tr, ca, te = _split_indices(len(x), fractions, seed)
    split = _as_split(x[tr], y[tr], x[ca], y[ca], x[te], y[te], list(TITANIC_FEATURES))
    return _standardize(split) if standardize else split


def titanic_paper_files(directory: Optional[str] = None):
    """The paper's own preprocessed Titanic files.

    Returns ``(x_prune, x_test, y_test)``: processed_to_prune.csv (418 unlabelled
    rows, the paper's calibration data) and processed_to_test_new.csv (268
    labelled rows, the paper's test data), features in TITANIC_FEATURES order.
    """
    d = Path(directory or os.environ.get("LIN_TITANIC", TITANIC_DIR))
    prune = np.loadtxt(d / "processed_to_prune.csv", delimiter=",", skiprows=1, dtype=np.float64)
    test = np.loadtxt(d / "processed_to_test_new.csv", delimiter=",", skiprows=1, dtype=np.float64)
    return prune.astype(np.float32), test[:, 1:].astype(np.float32), test[:, 0].astype(np.int64)


def titanic_paper_split(directory: Optional[str] = None) -> Split:
    """A Titanic split compatible with the paper's files.

    processed_to_test_new.csv rows are a subset of Kaggle's train.csv after
    the paper's preprocessing (which :func:`titanic` reproduces exactly, Age
    imputation included). Test = those 268 labelled rows, train = the other
    623 train.csv rows, calib = processed_to_prune.csv (418 rows from Kaggle's
    test.csv, unlabelled: ``y_calib`` is -1).
    """
    from collections import Counter

    s = titanic(fractions=(1.0, 0.0, 0.0), directory=directory)
    x_prune, x_test, y_test = titanic_paper_files(directory)
    key = lambda r: tuple(np.round(r.astype(np.float64), 3))  # noqa: E731
    pending = Counter(key(r) for r in x_test)
    keep = []
    for i, r in enumerate(s.x_train):
        k = key(r)
        if pending[k] > 0:
            pending[k] -= 1
        else:
            keep.append(i)
    if sum(pending.values()) != 0:
        raise RuntimeError("paper test rows not found in train.csv; preprocessing drifted")
    keep = np.asarray(keep)
    return _as_split(
        s.x_train[keep], s.y_train[keep], x_prune, np.full(len(x_prune), -1),
        x_test, y_test, list(TITANIC_FEATURES),
    )


# ---------------------------------------------------------------------------
# Next-character windows of licence text
# ---------------------------------------------------------------------------

# Characters rarer than this in the whole text share one "other" class.
_MIN_CHAR_COUNT = 50


def license_text(directory: Optional[str] = None) -> str:
    """The licence files of ``directory`` (default /usr/share/common-licenses)
    concatenated in name order, each file once (GPL, LGPL, GFDL are symlinks
    to a versioned file), lower-cased, every whitespace run one space."""
    d = Path(directory or os.environ.get("LIN_LICENSE_TEXT", LICENSE_TEXT_DIR))
    files = sorted({p.resolve() for p in d.iterdir() if p.is_file()})
    if not files:
        raise FileNotFoundError(f"no licence files in {d}")
    text = " ".join(p.read_text(errors="replace") for p in files)
    return " ".join(text.lower().split())


def license_chars(window: int = 32, block: int = 1024, n_calib: int = 5000, n_test: int = 5000,
                  seed: int = DEFAULT_SEED, directory: Optional[str] = None) -> Split:
    """Next-character prediction on :func:`license_text`.

    x: ``[N, window]`` int64 character classes (the alphabet: every character
    seen at least ``_MIN_CHAR_COUNT`` times, sorted, then one "other" class;
    ``feature_names`` lists it); y: the class of the character after the
    window. The text is cut into ``block``-character blocks, shuffled with
    ``seed`` and dealt 80 / 10 / 10 % to train / calibration / test, so that no
    window crosses two splits; train holds every window of its blocks (stride
    1), calibration and test ``n_calib`` / ``n_test`` windows drawn without
    replacement. (The licences share phrases, so test blocks are not
    independent of train blocks as in a natural corpus.) A model sees the
    classes one-hot (:func:`one_hot`).
    """
    from collections import Counter

    text = license_text(directory)
    counts = Counter(text)
    alphabet = sorted(c for c, n in counts.items() if n >= _MIN_CHAR_COUNT)
    index = {c: i for i, c in enumerate(alphabet)}
    ids = np.array([index.get(c, len(alphabet)) for c in text], dtype=np.int64)
    starts = np.arange(0, len(ids) - window, block)
    tr, ca, te = _split_indices(len(starts), (0.8, 0.1, 0.1), seed)
    rng = np.random.default_rng(seed)

    def windows(blocks: np.ndarray, limit: Optional[int]):
        # Window and target inside the block: no window crosses two splits.
        first = np.concatenate([np.arange(s, min(s + block, len(ids)) - window) for s in starts[np.sort(blocks)]])
        if limit is not None:
            first = np.sort(rng.choice(first, size=min(limit, len(first)), replace=False))
        return ids[first[:, None] + np.arange(window)], ids[first + window]

    (xtr, ytr), (xca, yca), (xte, yte) = windows(tr, None), windows(ca, n_calib), windows(te, n_test)
    return Split(xtr, ytr, xca, yca, xte, yte, alphabet + ["<other>"])


def one_hot(ids: np.ndarray, classes: int) -> np.ndarray:
    """float32 one-hot encoding of integer ``ids`` (a new last dimension)."""
    return np.eye(classes, dtype=np.float32)[ids]


# ---------------------------------------------------------------------------
# Registry and .npy output
# ---------------------------------------------------------------------------

DATASETS = {
    "fashion_mnist": fashion_mnist,
    "fashion_mnist_paper": lambda seed=None: fashion_mnist_paper_split(),
    "fashion_mnist_images": fashion_mnist_images,
    "license_chars": license_chars,
    "titanic": titanic,
    "titanic_paper": lambda seed=None: titanic_paper_split(),
    **{n: (lambda n: lambda seed=DEFAULT_SEED: sklearn_dataset(n, seed=seed))(n) for n in _SKLEARN},
}


def load_dataset(name: str, seed: int = DEFAULT_SEED) -> Split:
    """Load a data set by name (see DATASETS) with its default split."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose from {sorted(DATASETS)}")
    return DATASETS[name](seed=seed)


def save_split(split: Split, out_dir: os.PathLike | str, prefix: str = "") -> Dict[str, Path]:
    """Write ``{prefix}{train,calib,test}_{x,y}.npy`` (x float32, y int64)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for key, arr in split.arrays().items():
        p = out / f"{prefix}{key}.npy"
        np.save(p, arr)
        written[key] = p
    return written
