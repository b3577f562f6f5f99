// -loadblock and -reindex: reading blk-format files robustly and feeding
// their blocks to the engine (see block_import.h).
#include "validation/block_import.h"

#include "consensus/consensus.h"
#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <sys/stat.h>
#include <system_error>

namespace cairn {

namespace {

/** Estimated memory per set-aside block (map node, key, position). */
constexpr size_t UNKNOWN_PARENT_ENTRY_BYTES = 128;

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

/** The key a source's bytes are XORed with: the store's for the node's own
 *  blk files (-reindex), none for an external file (-loadblock), as in Core. */
BlocksXorKey KeyOf(const BlockFileStore& store, int blk_file)
{
    return blk_file >= 0 ? store.XorKey() : BlocksXorKey{};
}

/** Read-only access to one file through a window: each read fetches
 *  `window_bytes` (or one whole record if that is larger), so memory stays
 *  bounded by max(window_bytes, the largest record) whatever the file holds.
 *  The bytes are XORed with `key` by file offset as they are read (the
 *  node's own blk files; an external -loadblock file has the zero key).
 *  Throws BlockFileError on I/O errors. */
class FileWindow
{
public:
    FileWindow(const std::filesystem::path& path, size_t window_bytes, const BlocksXorKey& key)
        : m_path(path), m_window_bytes(std::max<size_t>(window_bytes, 1)), m_key(key)
    {
        m_file.reset(std::fopen(path.c_str(), "rb"));
        if (!m_file) throw BlockFileError("Cannot open " + path.string() + ": " + ErrnoText(errno));
        struct stat st;
        if (::fstat(::fileno(m_file.get()), &st) != 0) {
            throw BlockFileError("Cannot stat " + path.string() + ": " + ErrnoText(errno));
        }
        if (!S_ISREG(st.st_mode)) throw BlockFileError(path.string() + " is not a regular file");
        m_size = uint64_t(st.st_size);
    }

    uint64_t Size() const { return m_size; }

    /** Exactly `len` bytes from `offset`; fewer at the end of the file. */
    ByteSpan Get(uint64_t offset, size_t len)
    {
        if (offset >= m_size) return {};
        len = size_t(std::min<uint64_t>(len, m_size - offset));
        if (!Holds(offset, len)) Fill(offset, len);
        const size_t held = size_t(m_start + m_buf.size() - offset); // less than len if the file shrank
        return ByteSpan(m_buf).subspan(size_t(offset - m_start), std::min(len, held));
    }

    /** Offset of the first occurrence of `magic` at or after `from`. */
    std::optional<uint64_t> FindMagic(uint64_t from, const MessageStart& magic)
    {
        while (from + magic.size() <= m_size) {
            // Whatever the window already holds from `from` on (the next
            // record normally starts there); a read only when it is used up.
            const ByteSpan chunk = Holds(from, magic.size()) ? ByteSpan(m_buf).subspan(size_t(from - m_start))
                                                             : Get(from, std::max(m_window_bytes, magic.size()));
            if (chunk.size() < magic.size()) break;
            const uint8_t* p = chunk.data();
            const uint8_t* const last = chunk.data() + chunk.size() - magic.size(); // last possible start
            while (p <= last) {
                p = static_cast<const uint8_t*>(std::memchr(p, magic[0], size_t(last - p) + 1));
                if (!p) break;
                if (std::memcmp(p, magic.data(), magic.size()) == 0) return from + uint64_t(p - chunk.data());
                ++p;
            }
            // The next chunk overlaps this one by the bytes a match could straddle.
            from += chunk.size() - (magic.size() - 1);
        }
        return std::nullopt;
    }

private:
    bool Holds(uint64_t offset, size_t len) const
    {
        return offset >= m_start && offset + len <= m_start + m_buf.size();
    }

    /** Reads the window from `offset`: at least `len` bytes unless the file ends first. */
    void Fill(uint64_t offset, size_t len)
    {
        const size_t want = size_t(std::min<uint64_t>(std::max(len, m_window_bytes), m_size - offset));
        m_buf.resize(want);
        m_start = offset;
        if (::fseeko(m_file.get(), off_t(offset), SEEK_SET) != 0) {
            m_buf.clear();
            throw BlockFileError("Cannot seek to offset " + std::to_string(offset) + " in " + m_path.string() + ": " +
                                 ErrnoText(errno));
        }
        const size_t got = std::fread(m_buf.data(), 1, want, m_file.get());
        if (got != want) {
            if (std::ferror(m_file.get())) {
                m_buf.clear();
                throw BlockFileError("Error reading " + m_path.string() + ": " + ErrnoText(errno));
            }
            // The file shrank under us: it ends here now.
            m_buf.resize(got);
            m_size = offset + got;
        }
        XorAtOffset(m_buf, offset, m_key);
    }

    std::filesystem::path m_path;
    size_t m_window_bytes;
    BlocksXorKey m_key;
    FilePtr m_file;
    uint64_t m_size{0};
    uint64_t m_start{0};
    Bytes m_buf;
};

/** A block recovered from the bytes after a record header whose size field
 *  is wrong: the longest prefix that decodes to a block whose header meets
 *  its proof of work and whose transactions match its merkle root. */
struct Recovered {
    std::shared_ptr<const Block> block;
    uint32_t size;
};

std::optional<Recovered> RecoverBlock(FileWindow& window, uint64_t payload, const ConsensusParams& params)
{
    const ByteSpan data = window.Get(payload, MAX_BLOCK_SERIALIZED_SIZE);
    if (data.size() < BlockHeader::SIZE) return std::nullopt;
    try {
        Reader hr(data.first(BlockHeader::SIZE));
        const BlockHeader header = DeserializeBlockHeader(hr);
        // Cheap first: garbage fails here (on every chain but regtest).
        if (!CheckProofOfWork(header.GetHash(), header.bits, params)) return std::nullopt;
        Reader r(data);
        auto block = std::make_shared<const Block>(DeserializeBlock(r));
        if (block->vtx.empty()) return std::nullopt;
        bool mutated = false;
        if (BlockMerkleRoot(*block, &mutated) != block->merkle_root || mutated) return std::nullopt;
        return Recovered{std::move(block), uint32_t(r.pos())};
    } catch (const DeserializeError&) {
        return std::nullopt;
    }
}

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace

BlockImporter::BlockImporter(ChainstateManager& chainman, ImportOptions options)
    : m_chainman(chainman),
      m_opts(std::move(options)),
      m_max_unknown_parent(std::max<size_t>(1, m_opts.max_unknown_parent_bytes / UNKNOWN_PARENT_ENTRY_BYTES)),
      m_start(std::chrono::steady_clock::now()),
      m_last_progress(m_start)
{
}

bool BlockImporter::Interrupted()
{
    if (m_opts.interrupt && m_opts.interrupt()) m_stats.interrupted = true;
    return m_stats.interrupted;
}

void BlockImporter::ReportProblem(const std::string& message)
{
    if (ValidationNotifications* notifications = m_chainman.m_opts.notifications) {
        notifications->ImportProblem(message);
    } else {
        LogWarning("{}", message);
    }
}

void BlockImporter::LogProgress(bool force)
{
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_last_progress < m_opts.progress_interval) return;
    const double secs = std::max(Seconds(now - m_last_progress), 1e-3);
    const double rate = double(m_stats.blocks_read - m_blocks_at_last_progress) / secs;
    LogInfo("Importing blocks: {} read, {} new, {} already known, chain height {}, {:.1f} blocks/s", m_stats.blocks_read,
            m_stats.blocks_accepted, m_stats.already_had, m_chainman.Height(), rate);
    m_last_progress = now;
    m_blocks_at_last_progress = m_stats.blocks_read;
}

bool BlockImporter::LoadExternalFile(const std::filesystem::path& file)
{
    LogInfo("Importing blocks file {}...", file.string());
    const auto start = std::chrono::steady_clock::now();
    const uint64_t read_before = m_stats.blocks_read;
    const uint64_t new_before = m_stats.blocks_accepted;
    m_sources.push_back(Source{file, -1});
    const bool ok = ReadFile(m_sources.size() - 1);
    const double secs = Seconds(std::chrono::steady_clock::now() - start);
    LogInfo("Loaded {} blocks ({} new) from external file {} in {} ms ({:.1f} blocks/s)",
            m_stats.blocks_read - read_before, m_stats.blocks_accepted - new_before, file.string(),
            int64_t(secs * 1000), double(m_stats.blocks_read - read_before) / std::max(secs, 1e-3));
    return ok;
}

bool BlockImporter::Reindex()
{
    FlatFileSeq seq = [&] {
        std::lock_guard lock(m_chainman.GetMutex());
        return m_chainman.m_block_files->BlockSeq();
    }();
    int count = 0;
    for (std::error_code ec; std::filesystem::exists(seq.FileName(FlatFilePos(count, 0)), ec); ++count) {}
    LogInfo("Reindexing: {} block files in {}", count, seq.Dir().string());
    ValidationNotifications* notifications = m_chainman.m_opts.notifications;
    for (int file = 0; file < count; ++file) {
        if (notifications) notifications->Progress("Reindexing blocks…", file * 100 / count, false);
        const std::filesystem::path path = seq.FileName(FlatFilePos(file, 0));
        LogInfo("Reindexing block file {}...", path.filename().string());
        m_sources.push_back(Source{path, file});
        if (!ReadFile(m_sources.size() - 1)) return false;
    }
    if (notifications) notifications->Progress("", 100, false);
    LogProgress(true);
    return true;
}

void BlockImporter::Finish()
{
    if (m_unknown_parent.empty()) return;
    LogInfo("{} blocks from the imported files were not imported: their parent never arrived",
            m_unknown_parent.size());
    for (const auto& [parent, pos] : m_unknown_parent) {
        LogDebug(LogCategory::REINDEX, "  block at offset {} of {} (parent {})", pos.offset,
                 m_sources[pos.source].path.string(), parent.GetHex());
    }
    m_stats.dropped += m_unknown_parent.size();
    m_unknown_parent.clear();
}

bool BlockImporter::ReadFile(size_t source)
{
    const Source src = m_sources[source];
    const std::string name = src.path.string();
    std::optional<FileWindow> window;
    try {
        window.emplace(src.path, m_opts.read_window_bytes, KeyOf(*m_chainman.m_block_files, src.blk_file));
    } catch (const BlockFileError& e) {
        LogError("Cannot import blocks: {}", e.what());
        return true;
    }
    const MessageStart& magic = m_chainman.Params().message_start;
    const ConsensusParams& params = m_chainman.Params().consensus;

    uint64_t pos = 0;
    for (;;) {
        if (Interrupted()) return false;
        const std::optional<uint64_t> record = window->FindMagic(pos, magic);
        if (!record) break;
        if (*record != pos) {
            LogDebug(LogCategory::REINDEX, "{}: {} bytes without a record before offset {}", name, *record - pos, *record);
        }
        const uint64_t size = window->Size();
        const uint64_t payload = *record + STORAGE_HEADER_BYTES;
        if (payload > size) {
            ReportProblem(fmt::format("{}: the record at offset {} is truncated (the file ends inside its header)", name,
                                      *record));
            ++m_stats.bad_records;
            break;
        }
        Reader size_reader(window->Get(*record + magic.size(), 4));
        const uint32_t len = size_reader.U32LE();

        std::string problem;
        if (len < BlockHeader::SIZE || len > MAX_BLOCK_SERIALIZED_SIZE) {
            problem = fmt::format("its size {} is impossible for a block", len);
        } else if (payload + len > size) {
            problem = fmt::format("it claims {} bytes but the file ends {} bytes after its header (truncated)", len,
                                  size - payload);
        } else {
            try {
                Reader r(window->Get(payload, len));
                auto block = std::make_shared<const Block>(DeserializeBlock(r));
                if (!r.empty()) throw DeserializeError(fmt::format("{} bytes left over", r.remaining()));
                ++m_stats.blocks_read;
                if (!HandleBlock(block, Position{source, payload, len})) return false;
                pos = payload + len;
                continue;
            } catch (const DeserializeError& e) {
                problem = fmt::format("its block does not decode ({})", e.what());
            }
        }

        // Perhaps only the size field is damaged.
        if (std::optional<Recovered> rec = RecoverBlock(*window, payload, params)) {
            ++m_stats.recovered;
            if (src.blk_file >= 0) {
                // The block index must point at a well-formed record.
                ReportProblem(fmt::format("{}: the record at offset {} is damaged ({}); block {} cannot be used where "
                                          "it is and is skipped",
                                          name, *record, problem, rec->block->GetHash().GetHex()));
                ++m_stats.bad_records;
            } else {
                ReportProblem(fmt::format("{}: the record at offset {} is damaged ({}); recovered block {} ({} bytes)",
                                          name, *record, problem, rec->block->GetHash().GetHex(), rec->size));
                ++m_stats.blocks_read;
                if (!HandleBlock(rec->block, Position{source, payload, rec->size})) return false;
            }
            pos = payload + rec->size;
            continue;
        }
        ReportProblem(fmt::format("{}: skipping the record at offset {}: {}", name, *record, problem));
        ++m_stats.bad_records;
        // The size cannot be trusted: look for the next record right after this magic.
        pos = *record + 1;
    }
    ++m_stats.files;
    return true;
}

bool BlockImporter::HandleBlock(const std::shared_ptr<const Block>& block, const Position& pos)
{
    const uint256 hash = block->GetHash();
    bool parent_known;
    bool have_data;
    {
        std::lock_guard lock(m_chainman.GetMutex());
        const BlockIndex* index = m_chainman.Tree().Lookup(hash);
        have_data = index && (index->status & BLOCK_HAVE_DATA);
        parent_known = hash == m_chainman.Params().consensus.genesis_hash ||
                       m_chainman.Tree().Lookup(block->prev_block) != nullptr;
    }
    if (!parent_known) {
        if (m_unknown_parent.size() >= m_max_unknown_parent) {
            ++m_stats.dropped;
            LogInfo("{}: block {} at offset {} dropped: {} blocks are already waiting for their parent",
                    m_sources[pos.source].path.string(), hash.GetHex(), pos.offset, m_unknown_parent.size());
            return true;
        }
        LogDebug(LogCategory::REINDEX, "{}: block {} at offset {} waits for its parent {}",
                 m_sources[pos.source].path.string(), hash.GetHex(), pos.offset, block->prev_block.GetHex());
        m_unknown_parent.emplace(block->prev_block, pos);
        ++m_stats.unknown_parent;
        return true;
    }
    if (have_data) {
        ++m_stats.already_had;
    } else if (!ProcessBlock(block, pos)) {
        return false;
    }

    // The blocks that were waiting for this one, then those waiting for them.
    std::deque<uint256> queue{hash};
    while (!queue.empty()) {
        const uint256 parent = queue.front();
        queue.pop_front();
        auto range = m_unknown_parent.equal_range(parent);
        if (range.first == range.second) continue;
        std::vector<Position> waiting;
        for (auto it = range.first; it != range.second; ++it) waiting.push_back(it->second);
        m_unknown_parent.erase(range.first, range.second);
        for (const Position& p : waiting) {
            if (Interrupted()) return false;
            std::shared_ptr<const Block> child = ReadAt(p);
            if (!child) continue;
            bool child_have_data;
            {
                std::lock_guard lock(m_chainman.GetMutex());
                const BlockIndex* index = m_chainman.Tree().Lookup(child->GetHash());
                child_have_data = index && (index->status & BLOCK_HAVE_DATA);
            }
            LogDebug(LogCategory::REINDEX, "{}: processing block {}, which was waiting for its parent {}",
                     m_sources[p.source].path.string(), child->GetHash().GetHex(), parent.GetHex());
            if (child_have_data) {
                ++m_stats.already_had;
            } else if (!ProcessBlock(child, p)) {
                return false;
            }
            queue.push_back(child->GetHash());
        }
    }
    LogProgress(false);
    return true;
}

bool BlockImporter::ProcessBlock(const std::shared_ptr<const Block>& block, const Position& pos)
{
    const Source& src = m_sources[pos.source];
    BlockValidationState state;
    bool ok = false;
    bool is_new = false;
    if (src.blk_file >= 0) {
        // Reindex: the block stays where it is; connect it right away (from memory).
        const FlatFilePos dbp(src.blk_file, unsigned(pos.offset));
        {
            std::lock_guard lock(m_chainman.m_mutex);
            try {
                ok = m_chainman.AcceptBlock(block, state, nullptr, /*force_processing=*/true, &is_new,
                                            /*min_pow_checked=*/true, &dbp);
            } catch (const std::exception& e) {
                ok = state.Error(std::string("AcceptBlock failed: ") + e.what());
            }
        }
        ValidationNotifications* notifications = m_chainman.m_opts.notifications;
        if (!ok && notifications) notifications->BlockChecked(*block, state.GetRejectReason());
        if (ok) {
            BlockValidationState activate;
            if (!m_chainman.ActivateBestChain(activate, block)) state = activate;
        }
    } else {
        ok = m_chainman.ProcessNewBlock(block, /*force_processing=*/true, /*min_pow_checked=*/true, &is_new, &state);
    }
    if (state.IsError()) {
        LogError("Importing blocks stopped: {} (block {} from {})", state.ToString(), block->GetHash().GetHex(),
                 src.path.string());
        m_stats.failed = true;
        return false;
    }
    if (!ok) {
        ++m_stats.rejected;
        ReportProblem(fmt::format("{}: block {} at offset {} is invalid: {}", src.path.string(),
                                  block->GetHash().GetHex(), pos.offset, state.ToString()));
        return true;
    }
    if (is_new) {
        ++m_stats.blocks_accepted;
    } else {
        ++m_stats.already_had;
    }
    return true;
}

std::shared_ptr<const Block> BlockImporter::ReadAt(const Position& pos)
{
    const std::filesystem::path& path = m_sources[pos.source].path;
    try {
        FilePtr file{std::fopen(path.c_str(), "rb")};
        if (!file) throw BlockFileError("cannot open: " + ErrnoText(errno));
        if (::fseeko(file.get(), off_t(pos.offset), SEEK_SET) != 0) {
            throw BlockFileError("cannot seek: " + ErrnoText(errno));
        }
        Bytes data(pos.size);
        if (std::fread(data.data(), 1, data.size(), file.get()) != data.size()) {
            throw BlockFileError("cannot read " + std::to_string(pos.size) + " bytes");
        }
        XorAtOffset(data, pos.offset, KeyOf(*m_chainman.m_block_files, m_sources[pos.source].blk_file));
        Reader r(data);
        auto block = std::make_shared<const Block>(DeserializeBlock(r));
        if (!r.empty()) throw DeserializeError(std::to_string(r.remaining()) + " bytes left over");
        return block;
    } catch (const std::exception& e) {
        LogError("{}: cannot read back the block at offset {}: {}", path.string(), pos.offset, e.what());
        ++m_stats.dropped;
        return nullptr;
    }
}

// ---- ChainstateManager ----

ImportStats ChainstateManager::ImportBlocks(const std::vector<std::filesystem::path>& files,
                                            const std::function<bool()>& interrupt)
{
    ImportOptions options;
    options.interrupt = interrupt;
    BlockImporter importer(*this, options);
    ImportStats stats;
    m_importing = true;
    struct Done {
        std::atomic<bool>& importing;
        ~Done() { importing = false; }
    } done{m_importing};
    try {
        bool reindexing;
        {
            std::lock_guard lock(m_mutex);
            reindexing = m_reindexing;
        }
        if (reindexing) {
            if (!importer.Reindex()) {
                LogInfo("Reindexing {}; it will go on at the next start",
                        importer.Stats().failed ? "failed" : "interrupted");
                return importer.Stats();
            }
            // Everything found is recorded: make it durable before the flag goes.
            BlockValidationState state;
            if (!FlushStateToDisk(FlushMode::ALWAYS, state)) {
                stats = importer.Stats();
                stats.failed = true;
                return stats;
            }
            {
                std::lock_guard lock(m_mutex);
                m_block_tree_db->WriteReindexing(false);
                m_reindexing = false;
            }
            LogInfo("Reindexing finished");
            // The files did not hold the genesis block (e.g. there were none).
            if (!Lookup(m_opts.params->consensus.genesis_hash)) {
                auto genesis = std::make_shared<const Block>(m_opts.params->GenesisBlock());
                bool is_new = false;
                if (!ProcessNewBlock(genesis, true, true, &is_new, &state)) {
                    LogError("Failed to store the genesis block: {}", state.ToString());
                    stats = importer.Stats();
                    stats.failed = true;
                    return stats;
                }
            }
        }
        for (const std::filesystem::path& file : files) {
            if (!importer.LoadExternalFile(file)) return importer.Stats();
        }
        importer.Finish();
        BlockValidationState state;
        if (!ActivateBestChain(state)) {
            LogError("Failed to connect the best chain after importing: {}", state.ToString());
            stats = importer.Stats();
            stats.failed = true;
            return stats;
        }
    } catch (const std::exception& e) {
        const std::string msg = std::string("Importing blocks failed: ") + e.what();
        LogError("{}", msg);
        if (m_opts.notifications) m_opts.notifications->FatalError(msg);
        stats = importer.Stats();
        stats.failed = true;
        return stats;
    }
    return importer.Stats();
}

} // namespace cairn
