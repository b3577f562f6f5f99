// The node's own files read back after damage or tampering (peers.dat,
// fee_estimates.dat, mempool.dat) and the compact-block messages: any bytes
// must give an error or a value, never a crash, a hang or unbounded memory.
#include "mempool/persist.h"
#include "mempool/tx_mempool.h"
#include "net/addrman.h"
#include "net/blockencodings.h"
#include "policy/fee_estimator.h"
#include "test/fuzz/fuzz.h"
#include "util/serialize.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace cairn;

FUZZ_TARGET(file_peers_dat)
{
    AddrMan addrman(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    try {
        Reader r(buffer);
        addrman.Unserialize(r);
        // What was accepted must be consistent and serialize again.
        if (addrman.CheckConsistency() != 0) std::abort();
        Bytes again;
        addrman.Serialize(again);
    } catch (const DeserializeError&) {
    } catch (const std::runtime_error&) {
    }
}

FUZZ_TARGET(file_fee_estimates)
{
    FeeEstimator est;
    std::string error;
    if (est.Deserialize(buffer, &error)) {
        (void)est.Serialize();
        (void)est.EstimateSmartFee(2, nullptr, false);
    }
}

FUZZ_TARGET(file_mempool_dat)
{
    // LoadMempool reads a path: the bytes go through a private temporary file.
    static const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("cairn-fuzz-mempool-" + std::to_string(getpid()) + ".dat");
    {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(buffer.data()), std::streamsize(buffer.size()));
    }
    TxMemPool pool{MempoolOptions{}};
    LoadStats stats;
    (void)LoadMempool(pool, path, [](const TransactionRef&, int64_t) { return false; }, stats, {});
}

FUZZ_TARGET(p2p_compact_blocks)
{
    try {
        (void)DeserializeHeaderAndShortIDs(buffer);
    } catch (const DeserializeError&) {
    }
    try {
        (void)DeserializeBlockTransactionsRequest(buffer);
    } catch (const DeserializeError&) {
    }
    try {
        (void)DeserializeBlockTransactions(buffer);
    } catch (const DeserializeError&) {
    }
}
