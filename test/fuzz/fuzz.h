// Registration of libFuzzer targets:
//   FUZZ_TARGET(name) { ... use `buffer` (a ByteSpan) ... }
// The target must never crash, hang or read out of bounds for any input.
#ifndef CAIRN_TEST_FUZZ_FUZZ_H
#define CAIRN_TEST_FUZZ_FUZZ_H

#include "util/span.h"

#include <functional>
#include <string>

namespace cairn::fuzz {

using Target = std::function<void(ByteSpan)>;
struct Register {
    Register(const std::string& name, Target target);
};

} // namespace cairn::fuzz

#define FUZZ_TARGET(name)                                                          \
    static void fuzz_target_##name(::cairn::ByteSpan buffer);                      \
    static ::cairn::fuzz::Register fuzz_register_##name(#name, fuzz_target_##name); \
    static void fuzz_target_##name(::cairn::ByteSpan buffer)

#endif
