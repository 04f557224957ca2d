"""Test and benchmark support: MLPs written as linalg IR in the forms
frontends emit (:mod:`lin_testing.mlp_ir`), random ones for property tests
(:mod:`lin_testing.random_mlp`), a numpy reference of the fold's
least-squares refit and the budget metrics (:mod:`lin_testing.refit_reference`),
small PyTorch models for tests through torch-mlir
(:mod:`lin_testing.torch_models`), and running tools from tests
(:mod:`lin_testing.tools`)."""
