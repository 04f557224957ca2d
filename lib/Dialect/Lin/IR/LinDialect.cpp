//===- LinDialect.cpp - The lin dialect -----------------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Dialect/Lin/IR/LinAttributes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace lin;

#include "lin/Dialect/Lin/IR/LinDialect.cpp.inc"

void LinDialect::initialize() { registerAttributes(); }

/// Checks a `lin.profile` against the operation it annotates: the profile
/// must describe exactly as many neurons as the op's neuron dimension (its
/// `axis`, by default the last).
LogicalResult LinDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  if (attribute.getName() != getProfileAttrName())
    return op->emitError() << "unknown lin attribute '"
                           << attribute.getName().getValue() << "'";
  auto profile = dyn_cast<ProfileAttr>(attribute.getValue());
  if (!profile)
    return op->emitError() << "'" << getProfileAttrName()
                           << "' must be a #lin.profile attribute";
  if (op->getNumResults() != 1)
    return op->emitError() << "'" << getProfileAttrName()
                           << "' annotates an op with exactly one result";
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || type.getRank() == 0)
    return op->emitError() << "'" << getProfileAttrName()
                           << "' annotates an op with a ranked tensor result";
  int64_t dim = profile.getNeuronDim(type.getRank());
  if (dim >= type.getRank())
    return op->emitError() << "profile axis " << dim << " is out of range for "
                           << "a result of rank " << type.getRank();
  int64_t features = type.getDimSize(dim);
  if (ShapedType::isDynamic(features))
    return op->emitError() << "'" << getProfileAttrName()
                           << "' needs a static neuron dimension (dimension "
                           << dim << ")";
  if (profile.getNumNeurons() != features)
    return op->emitError() << "profile describes " << profile.getNumNeurons()
                           << " neurons but the op's neuron dimension (" << dim
                           << ") has " << features;
  return success();
}
