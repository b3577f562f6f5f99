#include "storage/db.h"

#include "crypto/random.h"
#include "util/serialize.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/helpers/memenv.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/status.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace cairn {

const std::string Database::OBFUSCATE_KEY_KEY{"\x0e\x00obfuscate_key", 15};

namespace {

leveldb::Slice ToSlice(ByteSpan b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteSpan FromSlice(const leveldb::Slice& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::string ErrorText(int err) { return std::error_code(err, std::generic_category()).message(); }

/** A table file read with pread(2). */
class PreadFile final : public leveldb::RandomAccessFile
{
public:
    PreadFile(std::string name, int fd) : m_name(std::move(name)), m_fd(fd) {}
    ~PreadFile() override { ::close(m_fd); }

    leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result, char* scratch) const override
    {
        ssize_t got;
        do {
            got = ::pread(m_fd, scratch, n, off_t(offset));
        } while (got < 0 && errno == EINTR);
        *result = leveldb::Slice(scratch, got < 0 ? 0 : size_t(got));
        if (got < 0) return leveldb::Status::IOError(m_name, ErrorText(errno));
        return leveldb::Status::OK();
    }

private:
    const std::string m_name;
    const int m_fd;
};

/** LevelDB's default environment, except that table files are read with
 *  pread instead of being mapped into memory. A mapped table's pages count
 *  in the node's resident memory for as long as the table is open (up to
 *  max_open_files tables of 2 MB per database), and a compaction reads its
 *  input tables whole: during the mid-import flush of the benchmark chain
 *  with -dbcache=50, 34 MB of chainstate tables were resident. Read with
 *  pread they stay in the kernel's page cache, and what lookups reuse is
 *  kept in the (bounded) block cache, which LevelDB bypasses for mapped
 *  files. Each open table keeps a descriptor, as max_open_files budgets. */
class PreadEnv final : public leveldb::EnvWrapper
{
public:
    PreadEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}

    leveldb::Status NewRandomAccessFile(const std::string& name, leveldb::RandomAccessFile** result) override
    {
        *result = nullptr;
        const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            const int err = errno;
            if (err == ENOENT) return leveldb::Status::NotFound(name, ErrorText(err));
            return leveldb::Status::IOError(name, ErrorText(err));
        }
        *result = new PreadFile(name, fd);
        return leveldb::Status::OK();
    }
};

std::string DescribeStatus(const std::filesystem::path& path, const leveldb::Status& status)
{
    std::string msg = "Fatal LevelDB error in " + path.string() + ": " + status.ToString();
    if (status.IsCorruption()) {
        msg += ". The database is corrupted; restart with -reindex (or -reindex-chainstate for the chainstate) "
               "to rebuild it from the block files";
    } else if (status.IsIOError()) {
        // A damaged table can fail as an I/O error (e.g. a garbled footer
        // makes LevelDB read at an impossible offset).
        msg += ". The database could not be read: if the disk is healthy, a file of it is damaged; restart with "
               "-reindex (or -reindex-chainstate for the chainstate) to rebuild it from the block files";
    }
    return msg;
}

} // namespace

void Database::HandleError(const leveldb::Status& status) const
{
    if (status.ok()) return;
    throw DatabaseError(DescribeStatus(m_path, status));
}

Database::Database(const DatabaseOptions& options) : m_path(options.path)
{
    leveldb::Options opts;
    // Core's split of the memory budget: the block cache holds table blocks
    // for reads, the write buffer holds recent writes before they become a
    // table (two may exist at once while one is being written out).
    m_block_cache.reset(leveldb::NewLRUCache(options.cache_bytes / 2));
    opts.block_cache = m_block_cache.get();
    opts.write_buffer_size = std::max<size_t>(options.cache_bytes / 4, 64 << 10);
    // A Bloom filter per table saves a disk read for most lookups of absent
    // keys, which the coins cache does for every new output.
    m_filter_policy.reset(leveldb::NewBloomFilterPolicy(10));
    opts.filter_policy = m_filter_policy.get();
    // Our values are hashes, keys and compressed scripts: Snappy gains almost
    // nothing on them and costs CPU on every read.
    opts.compression = leveldb::kNoCompression;
    // Each open table file holds a descriptor; stay well below common ulimits
    // since the node also needs descriptors for peers and block files.
    opts.max_open_files = 64;
    opts.create_if_missing = true;
    // Report checksum mismatches found while reading instead of skipping data.
    opts.paranoid_checks = true;

    const std::string name = m_path.string();
    if (options.memory_only) {
        m_env.reset(leveldb::NewMemEnv(leveldb::Env::Default()));
        opts.env = m_env.get();
    } else {
        m_env = std::make_unique<PreadEnv>();
        opts.env = m_env.get();
        if (options.wipe) {
            leveldb::Status s = leveldb::DestroyDB(name, opts);
            if (!s.ok()) throw DatabaseError("Error wiping database " + name + ": " + s.ToString());
        }
        // LevelDB creates the last directory itself but not its parents.
        std::error_code ec;
        std::filesystem::create_directories(m_path, ec);
        if (ec) throw DatabaseError("Error creating database directory " + name + ": " + ec.message());
    }

    leveldb::DB* db = nullptr;
    leveldb::Status s = leveldb::DB::Open(opts, name, &db);
    if (!s.ok()) {
        std::string msg = "Error opening database " + name + ": " + s.ToString();
        if (s.IsCorruption()) msg += ". The database is corrupted; restart with -reindex to rebuild it";
        if (s.IsIOError()) msg += ". Is another process using this data directory?";
        throw DatabaseError(msg);
    }
    m_db.reset(db);

    // The obfuscation key, if the database has one; else create one for a
    // new database that asks for it. It is read and written raw: the key is
    // not yet set while it is handled, so Read/Write do not XOR it.
    Bytes stored;
    const ByteSpan key_key = AsBytes(OBFUSCATE_KEY_KEY);
    if (Read(key_key, stored)) {
        if (stored.size() != OBFUSCATE_KEY_SIZE) {
            throw DatabaseError("Fatal LevelDB error in " + name + ": obfuscation key has " +
                                std::to_string(stored.size()) + " bytes instead of " +
                                std::to_string(OBFUSCATE_KEY_SIZE) + ". Restart with -reindex to rebuild it");
        }
        std::memcpy(m_obfuscate_key, stored.data(), OBFUSCATE_KEY_SIZE);
    } else if (options.obfuscate && IsEmpty()) {
        uint8_t key[OBFUSCATE_KEY_SIZE];
        GetRandBytes(key);
        Write(key_key, key, /*sync=*/true);
        std::memcpy(m_obfuscate_key, key, OBFUSCATE_KEY_SIZE);
    }
}

Database::~Database() = default;

bool Database::IsObfuscated() const
{
    return std::any_of(std::begin(m_obfuscate_key), std::end(m_obfuscate_key), [](uint8_t b) { return b != 0; });
}

void Database::Xor(MutableByteSpan data) const
{
    if (!IsObfuscated()) return;
    for (size_t i = 0; i < data.size(); ++i) data[i] ^= m_obfuscate_key[i % OBFUSCATE_KEY_SIZE];
}

bool Database::Read(ByteSpan key, Bytes& value) const
{
    std::string raw;
    leveldb::ReadOptions ro;
    ro.verify_checksums = true;
    leveldb::Status s = m_db->Get(ro, ToSlice(key), &raw);
    if (s.IsNotFound()) return false;
    HandleError(s);
    value.assign(raw.begin(), raw.end());
    Xor(value);
    return true;
}

bool Database::Exists(ByteSpan key) const
{
    Bytes ignored;
    return Read(key, ignored);
}

void Database::Write(ByteSpan key, ByteSpan value, bool sync)
{
    Batch batch(*this);
    batch.Write(key, value);
    WriteBatch(batch, sync);
}

void Database::Erase(ByteSpan key, bool sync)
{
    Batch batch(*this);
    batch.Erase(key);
    WriteBatch(batch, sync);
}

void Database::WriteBatch(Batch& batch, bool sync)
{
    leveldb::WriteOptions wo;
    wo.sync = sync;
    HandleError(m_db->Write(wo, batch.m_batch.get()));
}

// ---- Batch ----

Database::Batch::Batch(const Database& db) : m_db(db), m_batch(std::make_unique<leveldb::WriteBatch>()) {}
Database::Batch::~Batch() = default;

void Database::Batch::Write(ByteSpan key, ByteSpan value)
{
    m_scratch.assign(value.begin(), value.end());
    m_db.Xor(m_scratch);
    m_batch->Put(ToSlice(key), ToSlice(m_scratch));
}

void Database::Batch::Erase(ByteSpan key) { m_batch->Delete(ToSlice(key)); }
void Database::Batch::Clear() { m_batch->Clear(); }
size_t Database::Batch::ApproximateSize() const { return m_batch->ApproximateSize(); }

// ---- Iterator ----

std::unique_ptr<Database::Iterator> Database::NewIterator() const
{
    leveldb::ReadOptions ro;
    ro.verify_checksums = true;
    ro.fill_cache = false; // a full scan would evict the blocks that lookups need
    return std::unique_ptr<Iterator>(new Iterator(*this, m_db->NewIterator(ro)));
}

Database::Iterator::Iterator(const Database& db, leveldb::Iterator* it) : m_db(db), m_it(it) {}
Database::Iterator::~Iterator() = default;

void Database::Iterator::CheckStatus() const
{
    // LevelDB signals a failed read by becoming !Valid() with a bad status;
    // without this check a corrupt table would look like the end of the data.
    if (!m_it->Valid()) m_db.HandleError(m_it->status());
}

void Database::Iterator::SeekToFirst()
{
    m_it->SeekToFirst();
    CheckStatus();
}

void Database::Iterator::Seek(ByteSpan key)
{
    m_it->Seek(ToSlice(key));
    CheckStatus();
}

bool Database::Iterator::Valid() const { return m_it->Valid(); }

void Database::Iterator::Next()
{
    m_it->Next();
    CheckStatus();
}

ByteSpan Database::Iterator::Key() const { return FromSlice(m_it->key()); }

Bytes Database::Iterator::Value() const
{
    ByteSpan v = FromSlice(m_it->value());
    Bytes out(v.begin(), v.end());
    m_db.Xor(out);
    return out;
}

bool Database::Iterator::KeyStartsWith(ByteSpan prefix) const
{
    if (!Valid()) return false;
    ByteSpan k = Key();
    return k.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k.begin());
}

// ---- maintenance ----

uint64_t Database::EstimateSize(ByteSpan begin, ByteSpan end) const
{
    leveldb::Range range(ToSlice(begin), ToSlice(end));
    uint64_t size = 0;
    m_db->GetApproximateSizes(&range, 1, &size);
    return size;
}

void Database::Compact(ByteSpan begin, ByteSpan end)
{
    leveldb::Slice b = ToSlice(begin), e = ToSlice(end);
    m_db->CompactRange(&b, &e);
}

bool Database::IsEmpty() const
{
    auto it = NewIterator();
    it->SeekToFirst();
    return !it->Valid();
}

size_t Database::DynamicMemoryUsage() const
{
    std::string value;
    if (!m_db->GetProperty("leveldb.approximate-memory-usage", &value)) return 0;
    try {
        return size_t(std::stoull(value));
    } catch (const std::exception&) {
        return 0;
    }
}

// ---- format version ----

uint32_t CheckFormatVersion(Database& db, uint32_t our_version, std::string_view what, ByteSpan data_prefixes)
{
    const uint8_t key[1] = {DB_FORMAT_VERSION_KEY};
    const std::string where = std::string(what) + " database " + db.Path().string();
    Bytes value;
    if (db.Read(key, value)) {
        if (value.size() != 4) {
            throw DatabaseError("Format version record of the " + where +
                                " is corrupt. Restart with -reindex to rebuild it");
        }
        uint32_t version = Reader(value).U32LE();
        if (version > our_version) {
            throw DatabaseError("The " + where + " has format version " + std::to_string(version) +
                                ", newer than this version of Cairn supports (" + std::to_string(our_version) +
                                "). It was left unchanged: use a newer Cairn, or move it away and restart with "
                                "-reindex to rebuild it in the old format");
        }
        return version;
    }
    auto it = db.NewIterator();
    for (uint8_t prefix : data_prefixes) {
        it->Seek(ByteSpan{&prefix, 1});
        if (it->KeyStartsWith(ByteSpan{&prefix, 1})) {
            throw DatabaseError("The " + where +
                                " has data but no format version: it was not written by Cairn, or by one too old "
                                "to read. It was left unchanged: move it away and restart with -reindex to "
                                "rebuild it");
        }
    }
    it.reset();
    Bytes encoded;
    VectorWriter w(encoded);
    WriteU32LE(w, our_version);
    db.Write(key, encoded, /*sync=*/true);
    return our_version;
}

} // namespace cairn
