#pragma once
// The catalogs as plain data: shapes (what one node offers), targets (what a customer needs)
// and the model (protection schemes, fill, rack and cost parameters), one file each.
#include "scoring/model_profile.h"
#include "scoring/shape_profile.h"
#include "scoring/target_profile.h"
