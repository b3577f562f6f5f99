// Amounts in satoshis.
#ifndef CAIRN_PRIMITIVES_AMOUNT_H
#define CAIRN_PRIMITIVES_AMOUNT_H

#include <cstdint>

namespace cairn {

using Amount = int64_t;

inline constexpr Amount COIN = 100000000;
/** No amount larger than this is valid (a sanity bound, not the supply). */
inline constexpr Amount MAX_MONEY = 21000000 * COIN;

inline bool MoneyRange(Amount v) { return v >= 0 && v <= MAX_MONEY; }

} // namespace cairn

#endif
