// Data files the benchmarks read (from ../shared/vectors, or $CAIRN_VECTORS_DIR).
#ifndef CAIRN_BENCH_DATA_H
#define CAIRN_BENCH_DATA_H

#include "util/span.h"

#include <string>

namespace cairn::bench {

/** Raw bytes of mainnet block 413567; throws if the file is missing. */
const Bytes& Block413567();

} // namespace cairn::bench

#endif
