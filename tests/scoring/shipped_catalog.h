#pragma once
// The catalog under profiles/, loaded once per test binary: the scoring tests read it, never change it.
#include "scoring/catalog.h"

namespace shapeq::test {

inline const Catalog& Shipped() {
  static const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  return catalog;
}

}  // namespace shapeq::test
