// Temporary placeholder, replaced by the real pipeline registration.
#include "lin/Transforms/Passes.h"
void lin::registerLinPipelines() {}
