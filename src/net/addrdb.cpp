#include "net/addrdb.h"

#include "config/cairn-config.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "net/addr_encoding.h"
#include "util/log.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace cairn {

namespace {

/** std::quoted, as Core prints paths in messages. */
std::string Quoted(const std::filesystem::path& p)
{
    return "\"" + p.string() + "\"";
}

std::optional<Bytes> ReadWholeFile(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::string BugReportTarget()
{
    const std::string report = PACKAGE_BUGREPORT;
    return report.empty() ? std::string("the Cairn developers") : report;
}

} // namespace

void ReadHashedFile(ByteSpan file, const MessageStart& magic, const std::function<void(Reader&)>& body)
{
    Reader r(file);
    try {
        MessageStart got;
        r.ReadInto(got.data(), got.size());
        if (got != magic) throw std::runtime_error("Invalid network magic number");
        body(r);
        const size_t hashed = r.pos();
        uint256 checksum;
        r.ReadInto(checksum.data(), checksum.size());
        if (checksum != Hash256(file.subspan(0, hashed))) throw std::runtime_error("Checksum mismatch, data corrupted");
    } catch (const DeserializeError& e) {
        // Core reads from a file stream: running out of data is its end-of-file error.
        if (std::string(e.what()) == "end of data") ThrowIosFailure("AutoFile::read: end of file");
        ThrowIosFailure(e.what());
    }
}

bool WriteHashedFile(const std::filesystem::path& path, const MessageStart& magic, ByteSpan body,
                     const std::string& tmp_prefix)
{
    Bytes data(magic.begin(), magic.end());
    data.insert(data.end(), body.begin(), body.end());
    const uint256 checksum = Hash256(data);
    data.insert(data.end(), checksum.begin(), checksum.end());

    const std::filesystem::path tmp =
        path.parent_path() / fmt::format("{}.{:04x}", tmp_prefix, unsigned(GetRandUint64() & 0xffff));
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        LogError("WriteHashedFile: Failed to open file {}", tmp.string());
        return false;
    }
    size_t done = 0;
    bool ok = true;
    while (done < data.size()) {
        const ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        done += size_t(n);
    }
    if (ok && fsync(fd) != 0) ok = false;
    if (close(fd) != 0) ok = false;
    if (!ok) {
        LogError("WriteHashedFile: Failed to write file {}: {}", tmp.string(), std::strerror(errno));
        std::remove(tmp.c_str());
        return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        LogError("WriteHashedFile: Rename-into-place failed: {}", ec.message());
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

std::optional<std::string> LoadPeersDat(const std::filesystem::path& path, const MessageStart& magic, AddrMan& addrman)
{
    const auto start = std::chrono::steady_clock::now();
    const std::optional<Bytes> file = ReadWholeFile(path);
    if (!file) {
        LogInfo("Creating peers.dat because the file was not found ({})", Quoted(path));
        DumpPeersDat(path, magic, addrman);
        return std::nullopt;
    }
    try {
        ReadHashedFile(*file, magic, [&](Reader& r) { addrman.Unserialize(r); });
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        LogInfo("Loaded {} addresses from peers.dat  {}ms", addrman.Size(), ms.count());
    } catch (const AddrManVersionError& e) {
        std::error_code ec;
        std::filesystem::rename(path, std::filesystem::path(path.string() + ".bak"), ec);
        if (ec) return std::string("Failed to rename invalid peers.dat file. Please move or delete it and try again.");
        LogWarning("Creating new peers.dat because the file version was not compatible ({}). Original backed up to "
                   "peers.dat.bak", Quoted(path));
        DumpPeersDat(path, magic, addrman);
    } catch (const std::exception& e) {
        return fmt::format("Invalid or corrupt peers.dat ({}). If you believe this is a bug, please report it to {}. "
                           "As a workaround, you can move the file ({}) out of the way (rename, move, or delete) to "
                           "have a new one created on the next start.",
                           e.what(), BugReportTarget(), Quoted(path));
    }
    return std::nullopt;
}

bool DumpPeersDat(const std::filesystem::path& path, const MessageStart& magic, const AddrMan& addrman)
{
    const auto start = std::chrono::steady_clock::now();
    Bytes body;
    addrman.Serialize(body);
    const bool ok = WriteHashedFile(path, magic, body, "peers");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    LogDebug(LogCategory::NET, "Flushed {} addresses to peers.dat  {}ms", addrman.Size(), ms.count());
    return ok;
}

std::vector<AddrEntry> ReadAnchors(const std::filesystem::path& path, const MessageStart& magic)
{
    std::vector<AddrEntry> anchors;
    if (const std::optional<Bytes> file = ReadWholeFile(path)) {
        try {
            ReadHashedFile(*file, magic, [&](Reader& r) {
                const uint64_t n = r.CompactSize();
                for (uint64_t i = 0; i < n; ++i) anchors.push_back(ReadDiskAddress(r, /*v2_stream=*/true));
            });
            LogInfo("Loaded {} addresses from {}", anchors.size(), Quoted(path.filename()));
        } catch (const std::exception& e) {
            LogDebug(LogCategory::NET, "anchors.dat unreadable ({}), ignored", e.what());
            anchors.clear();
        }
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return anchors;
}

bool DumpAnchors(const std::filesystem::path& path, const MessageStart& magic, const std::vector<AddrEntry>& anchors)
{
    LogInfo("Flush {} outbound block-relay-only peer addresses to anchors.dat", anchors.size());
    Bytes body;
    {
        VectorWriter w(body);
        WriteCompactSize(w, anchors.size());
    }
    for (const AddrEntry& a : anchors) WriteDiskAddress(body, a);
    return WriteHashedFile(path, magic, body, "anchors");
}

} // namespace cairn
