#include "validation/script_exec_cache.h"

namespace cairn {

ScriptExecutionCache::ScriptExecutionCache(size_t max_bytes) : m_set(max_bytes)
{
    m_set.LogSize("script execution cache", max_bytes);
}

uint256 ScriptExecutionCache::Entry(const Transaction& tx, ScriptFlags flags) const
{
    Sha256 h = m_set.SaltedHasher();
    const uint8_t flag_bytes[4] = {uint8_t(flags), uint8_t(flags >> 8), uint8_t(flags >> 16), uint8_t(flags >> 24)};
    h.Write(tx.GetWtxid().span()).Write(flag_bytes);
    uint256 out;
    h.Finalize(out.data());
    return out;
}

} // namespace cairn
