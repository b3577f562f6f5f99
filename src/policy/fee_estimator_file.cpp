// fee_estimates.dat: Bitcoin Core's layout, byte for byte (described in
// doc/design/fee_estimation.md), so a datadir moves between the two nodes.
#include "policy/fee_estimator.h"

#include "util/log.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace cairn {

namespace {

/** The version written and the highest one read. Core: "Must be increased to
 *  at least 289900+1 on the next breaking change". */
constexpr int32_t CURRENT_FEES_FILE_VERSION = 149900;
/** No real file comes near this (about 400 kB); a bigger one is not read. */
constexpr uintmax_t MAX_FILE_SIZE = 16 * 1024 * 1024;

} // namespace

Bytes FeeEstimator::SerializeLocked() const
{
    Bytes out;
    VectorWriter w(out);
    WriteU32LE(w, uint32_t(CURRENT_FEES_FILE_VERSION));
    WriteU32LE(w, 0); // unused; Core writes 0 and allows any value up to 289900
    WriteU32LE(w, m_best_seen_height);
    // The span of blocks the data covers: this run's, unless the loaded history is much longer.
    if (BlockSpan() > HistoricalBlockSpan() / 2) {
        WriteU32LE(w, m_first_recorded_height);
        WriteU32LE(w, m_best_seen_height);
    } else {
        WriteU32LE(w, m_historical_first);
        WriteU32LE(w, m_historical_best);
    }
    WriteDoubleVector(w, m_buckets);
    m_med_stats.Serialize(w);
    m_short_stats.Serialize(w);
    m_long_stats.Serialize(w);
    return out;
}

Bytes FeeEstimator::Serialize() const
{
    std::lock_guard lock(m_mutex);
    return SerializeLocked();
}

bool FeeEstimator::Deserialize(ByteSpan data, std::string* error)
{
    try {
        Reader r(data);
        const int32_t version = int32_t(r.U32LE());
        r.U32LE(); // unused
        if (version > CURRENT_FEES_FILE_VERSION) {
            throw DeserializeError("File version (" + std::to_string(version) + ") too high to be read.");
        }
        const unsigned file_best = r.U32LE();
        if (version < CURRENT_FEES_FILE_VERSION) {
            LogWarning("Incompatible old fee estimation data (non-fatal). Version: {}", version);
            return true;
        }
        const unsigned hist_first = r.U32LE();
        const unsigned hist_best = r.U32LE();
        if (hist_first > hist_best || hist_best > file_best) {
            throw DeserializeError("Corrupt estimates file. Historical block range for estimates is invalid");
        }
        std::vector<double> buckets = ReadDoubleVector(r);
        if (buckets.size() <= 1 || buckets.size() > 1000) {
            throw DeserializeError("Corrupt estimates file. Must have between 2 and 1000 feerate buckets");
        }
        // Core trusts the order; a lookup by feerate needs it, so check.
        for (size_t i = 0; i < buckets.size(); ++i) {
            if (!(buckets[i] == buckets[i]) || (i > 0 && !(buckets[i] > buckets[i - 1]))) {
                throw DeserializeError("Corrupt estimates file. Feerate buckets must be increasing");
            }
        }
        // Everything is read into temporaries first: a bad file changes nothing.
        ConfirmStats med = ConfirmStats::Deserialize(r, buckets.size());
        ConfirmStats shrt = ConfirmStats::Deserialize(r, buckets.size());
        ConfirmStats lng = ConfirmStats::Deserialize(r, buckets.size());

        std::lock_guard lock(m_mutex);
        m_buckets = std::move(buckets);
        m_med_stats = std::move(med);
        m_short_stats = std::move(shrt);
        m_long_stats = std::move(lng);
        m_best_seen_height = file_best;
        m_historical_first = hist_first;
        m_historical_best = hist_best;
        // Their mempool counters were just replaced by empty ones.
        m_mempool_txs.clear();
    } catch (const std::exception& e) {
        LogWarning("Unable to read policy estimator data (non-fatal): {}", e.what());
        if (error) *error = e.what();
        return false;
    }
    return true;
}

bool FeeEstimator::Read(const std::filesystem::path& path, std::string* error)
{
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > MAX_FILE_SIZE) {
        const std::string why = ec ? ec.message() : "file too large";
        LogWarning("Unable to read policy estimator data (non-fatal): {}", why);
        if (error) *error = why;
        return false;
    }
    std::ifstream f(path, std::ios::binary);
    Bytes data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) {
        LogWarning("Unable to read policy estimator data (non-fatal): read error");
        if (error) *error = "read error";
        return false;
    }
    return Deserialize(data, error);
}

bool FeeEstimator::Write(const std::filesystem::path& path) const
{
    const Bytes data = Serialize();
    // A crash while writing leaves the previous file in place.
    std::filesystem::path tmp = path;
    tmp += ".new";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    bool ok = f && std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0 &&
              fsync(fileno(f)) == 0;
    if (f && std::fclose(f) != 0) ok = false;
    std::error_code ec;
    if (ok) std::filesystem::rename(tmp, path, ec);
    if (!ok || ec) {
        std::filesystem::remove(tmp, ec);
        LogWarning("Failed to write fee estimates to {}. Continue anyway.", path.string());
        return false;
    }
    LogInfo("Flushed fee estimates to {}.", path.filename().string());
    return true;
}

std::chrono::hours FeeEstimatesFileAge(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(path, ec);
    if (ec) return std::chrono::hours{0};
    return std::chrono::duration_cast<std::chrono::hours>(std::filesystem::file_time_type::clock::now() - written);
}

FeeEstimatesLoad LoadFeeEstimates(FeeEstimator& estimator, const std::filesystem::path& path, bool accept_stale)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        LogInfo("{} is not found. Continue anyway.", path.string());
        return FeeEstimatesLoad::NOT_FOUND;
    }
    const std::chrono::hours age = FeeEstimatesFileAge(path);
    if (age > MAX_FILE_AGE && !accept_stale) {
        LogWarning("Fee estimation file {} too old (age={} > {} hours) and will not be used to avoid serving stale "
                   "estimates.",
                   path.string(), age.count(), MAX_FILE_AGE.count());
        return FeeEstimatesLoad::STALE;
    }
    if (!estimator.Read(path)) {
        LogWarning("Failed to read fee estimates from {}. Continue anyway.", path.string());
        return FeeEstimatesLoad::FAILED;
    }
    return FeeEstimatesLoad::LOADED;
}

} // namespace cairn
