// Consensus-wide size, weight and maturity limits.
#ifndef CAIRN_CONSENSUS_CONSENSUS_H
#define CAIRN_CONSENSUS_CONSENSUS_H

#include <cstddef>
#include <cstdint>

namespace cairn {

/** BIP 141 block weight limit. */
inline constexpr unsigned int MAX_BLOCK_WEIGHT = 4000000;
/** The pre-segwit size limit, still applied to stripped sizes. */
inline constexpr unsigned int MAX_BLOCK_SERIALIZED_SIZE = 4000000;
inline constexpr int64_t MAX_BLOCK_SIGOPS_COST = 80000;
inline constexpr int WITNESS_SCALE_FACTOR = 4;
/** Coinbase outputs can be spent only this many blocks later. */
inline constexpr int COINBASE_MATURITY = 100;
/** Smallest non-witness transaction size allowed (64 bytes would be ambiguous with merkle inner nodes). */
inline constexpr size_t MIN_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 60;
inline constexpr size_t MIN_SERIALIZABLE_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 10;

/** Interpret nLockTime of the block being checked with median-time-past (BIP 113). */
inline constexpr unsigned int LOCKTIME_VERIFY_SEQUENCE = 1 << 0;

} // namespace cairn

#endif
