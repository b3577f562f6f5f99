#include "mempool/persist.h"

#include "crypto/random.h"
#include "mempool/tx_mempool.h"
#include "util/log.h"
#include "util/serialize.h"
#include "util/time.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cairn {

namespace {

constexpr size_t OBFUSCATION_KEY_SIZE = 8;
using ObfuscationKey = std::array<uint8_t, OBFUSCATION_KEY_SIZE>;

/** Writes to a file through a buffer; once a key is set, the byte at file
 *  offset i is XORed with key[i % 8] (Core's AutoFile obfuscation counts
 *  from the start of the file, header included). */
class ObfuscatedFileWriter
{
public:
    explicit ObfuscatedFileWriter(std::FILE* file) : m_file(file) {}

    void SetKey(const ObfuscationKey& key)
    {
        m_key = key;
        m_obfuscate = true;
    }
    void Write(ByteSpan bytes)
    {
        for (uint8_t b : bytes) {
            m_buffer.push_back(m_obfuscate ? uint8_t(b ^ m_key[m_position % OBFUSCATION_KEY_SIZE]) : b);
            ++m_position;
        }
        if (m_buffer.size() >= (1 << 16)) Flush();
    }
    void Flush()
    {
        if (!m_buffer.empty() && std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
            throw std::runtime_error(std::string("write failed: ") + std::strerror(errno));
        }
        m_buffer.clear();
    }

private:
    std::FILE* m_file;
    ObfuscationKey m_key{};
    bool m_obfuscate{false};
    uint64_t m_position{0};
    Bytes m_buffer;
};

/** The whole file, or nullopt when it cannot be opened or read. */
std::optional<Bytes> ReadWholeFile(const std::filesystem::path& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return std::nullopt;
    Bytes data;
    uint8_t chunk[1 << 16];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof(chunk), file)) > 0) data.insert(data.end(), chunk, chunk + n);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return std::nullopt;
    return data;
}

double SecondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

bool DumpMempool(const TxMemPool& pool, const std::filesystem::path& path, bool v1)
{
    const auto start = std::chrono::steady_clock::now();
    // Two dumps at once (shutdown and savemempool) would share path.new.
    static std::mutex dump_mutex;
    std::lock_guard dump_lock(dump_mutex);

    std::map<uint256, Amount> deltas;
    std::vector<TxMempoolInfo> infos;
    std::set<uint256> unbroadcast;
    {
        std::lock_guard lock(pool.GetMutex());
        deltas = pool.GetDeltas();
        infos = pool.InfoAll();
        unbroadcast = pool.GetUnbroadcastTxs();
    }
    const auto mid = std::chrono::steady_clock::now();

    std::filesystem::path tmp_path = path;
    tmp_path += ".new";
    std::FILE* file = std::fopen(tmp_path.c_str(), "wb");
    if (!file) {
        LogInfo("Failed to dump mempool: cannot open {}: {}. Continuing anyway.", tmp_path.string(), std::strerror(errno));
        return false;
    }
    try {
        ObfuscatedFileWriter w(file);
        WriteU64LE(w, v1 ? MEMPOOL_DUMP_VERSION_NO_XOR_KEY : MEMPOOL_DUMP_VERSION);
        if (!v1) {
            ObfuscationKey key;
            GetRandBytes(key);
            WriteVarBytes(w, key);
            w.SetKey(key);
        }
        WriteU64LE(w, infos.size());
        LogInfo("Writing {} mempool transactions to file...", infos.size());
        for (const TxMempoolInfo& info : infos) {
            SerializeTransaction(w, *info.tx, /*with_witness=*/true);
            WriteU64LE(w, uint64_t(info.time));
            WriteU64LE(w, uint64_t(info.fee_delta));
            // Its delta travels with it; the map keeps only the others.
            deltas.erase(info.tx->GetTxid());
        }
        WriteCompactSize(w, deltas.size());
        for (const auto& [txid, delta] : deltas) {
            w.Write(txid.span());
            WriteU64LE(w, uint64_t(delta));
        }
        LogInfo("Writing {} unbroadcast transactions to file.", unbroadcast.size());
        WriteCompactSize(w, unbroadcast.size());
        for (const uint256& txid : unbroadcast) w.Write(txid.span());
        w.Flush();

        if (std::fflush(file) != 0 || fsync(fileno(file)) != 0) {
            throw std::runtime_error(std::string("Commit failed: ") + std::strerror(errno));
        }
        const int closed = std::fclose(file);
        file = nullptr;
        if (closed != 0) {
            throw std::runtime_error("Error closing " + tmp_path.string() + ": " + std::strerror(errno));
        }
        std::error_code ec;
        std::filesystem::rename(tmp_path, path, ec);
        if (ec) throw std::runtime_error("Rename failed: " + ec.message());
        LogInfo("Dumped mempool: {:.3f}s to copy, {:.3f}s to dump, {} bytes dumped to file",
                std::chrono::duration<double>(mid - start).count(), SecondsSince(mid),
                std::filesystem::file_size(path, ec));
    } catch (const std::exception& e) {
        if (file) std::fclose(file);
        std::error_code ec;
        std::filesystem::remove(tmp_path, ec);
        LogInfo("Failed to dump mempool: {}. Continuing anyway.", e.what());
        return false;
    }
    return true;
}

bool LoadMempool(TxMemPool& pool, const std::filesystem::path& path,
                 const std::function<bool(const TransactionRef&, int64_t time)>& accept, LoadStats& stats,
                 const std::function<bool()>& interrupt)
{
    stats = LoadStats{};
    if (path.empty()) return false;
    std::optional<Bytes> data = ReadWholeFile(path);
    if (!data) {
        LogInfo("Failed to open mempool file. Continuing anyway.");
        return false;
    }
    const int64_t now = GetTime();
    const int64_t expiry = pool.Options().expiry_seconds;

    try {
        Reader r(*data);
        const uint64_t version = r.U64LE();
        if (version == MEMPOOL_DUMP_VERSION) {
            const Bytes key = r.VarBytes();
            if (key.size() != OBFUSCATION_KEY_SIZE) {
                throw DeserializeError("Obfuscation key size should be exactly 8 bytes long");
            }
            // The reader views the same buffer: undo the XOR in place, by file offset.
            for (size_t i = r.pos(); i < data->size(); ++i) (*data)[i] ^= key[i % OBFUSCATION_KEY_SIZE];
        } else if (version != MEMPOOL_DUMP_VERSION_NO_XOR_KEY) {
            throw DeserializeError("unknown mempool file version " + std::to_string(version));
        }

        const uint64_t total = r.U64LE();
        LogInfo("Loading {} mempool transactions from file...", total);
        uint64_t tried = 0;
        int next_tenth_to_report = 0;
        while (tried < total) {
            const int percentage_done = int(100.0 * double(tried) / double(total));
            if (next_tenth_to_report < percentage_done / 10) {
                LogInfo("Progress loading mempool transactions from file: {}% (tried {}, {} remaining)",
                        percentage_done, tried, total - tried);
                next_tenth_to_report = percentage_done / 10;
            }
            ++tried;

            const TransactionRef tx = DeserializeTransaction(r, /*allow_witness=*/true);
            const int64_t time = int64_t(r.U64LE());
            const Amount fee_delta = Amount(r.U64LE());

            if (fee_delta != 0) {
                std::lock_guard lock(pool.GetMutex());
                pool.PrioritiseTransaction(tx->GetTxid(), fee_delta);
            }
            if (time > now - expiry) {
                if (accept(tx, time)) {
                    ++stats.count;
                } else {
                    // A wallet may have added it while we were loading:
                    // not a failure.
                    std::lock_guard lock(pool.GetMutex());
                    if (pool.Exists(tx->GetTxid())) {
                        ++stats.already_there;
                    } else {
                        ++stats.failed;
                    }
                }
            } else {
                ++stats.expired;
            }
            if (interrupt && interrupt()) {
                LogInfo("Interrupted while loading mempool transactions from file ({} of {} tried).", tried, total);
                return false;
            }
        }

        std::map<uint256, Amount> deltas;
        const uint64_t delta_count = r.CompactSize();
        for (uint64_t i = 0; i < delta_count; ++i) {
            const uint256 txid(r.ReadBytes(uint256::size()));
            const Amount delta = Amount(r.U64LE());
            deltas.emplace(txid, delta);
        }
        std::set<uint256> unbroadcast;
        const uint64_t unbroadcast_count = r.CompactSize();
        for (uint64_t i = 0; i < unbroadcast_count; ++i) unbroadcast.insert(uint256(r.ReadBytes(uint256::size())));

        std::lock_guard lock(pool.GetMutex());
        for (const auto& [txid, delta] : deltas) pool.PrioritiseTransaction(txid, delta);
        stats.unbroadcast = int64_t(unbroadcast.size());
        for (const uint256& txid : unbroadcast) {
            // Only what was accepted waits for its first announcement.
            if (pool.Get(txid)) pool.AddUnbroadcastTx(txid);
        }
    } catch (const std::exception& e) {
        LogInfo("Failed to deserialize mempool data on file: {}. Continuing anyway.", e.what());
        return false;
    }

    LogInfo("Imported mempool transactions from file: {} succeeded, {} failed, {} expired, {} already there, {} waiting "
            "for initial broadcast",
            stats.count, stats.failed, stats.expired, stats.already_there, stats.unbroadcast);
    return true;
}

} // namespace cairn
