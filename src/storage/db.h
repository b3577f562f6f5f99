// A thin wrapper over one LevelDB database: byte-string keys and values,
// atomic write batches, an ordered iterator, and optional obfuscation of the
// stored values. Every LevelDB failure becomes a DatabaseError; nothing here
// returns a status that could be ignored.
//
// LevelDB's headers are not included here: users of storage/ do not need
// LevelDB's include path, only the libraries at link time.
#ifndef CAIRN_STORAGE_DB_H
#define CAIRN_STORAGE_DB_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leveldb {
class Cache;
class DB;
class Env;
class FilterPolicy;
class Iterator;
class Status;
class WriteBatch;
} // namespace leveldb

namespace cairn {

/** A LevelDB failure (I/O error, corruption, unreadable or incompatible
 *  data). The message names the database's path; for corruption it says how
 *  to recover (-reindex). Callers treat it as fatal for the node. */
class DatabaseError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct DatabaseOptions {
    /** The database's directory; created (with its parents) if missing. */
    std::filesystem::path path;
    /** Memory for LevelDB: half for the block cache, a quarter for the
     *  write buffer (memtable), as Core splits it. */
    size_t cache_bytes{8 << 20};
    /** Keep everything in memory (tests, or a node that needs no disk). */
    bool memory_only{false};
    /** Destroy any existing database at `path` first. */
    bool wipe{false};
    /** XOR values with a random key when creating a new database (see below). */
    bool obfuscate{false};
};

/** Number of bytes of the obfuscation key. */
inline constexpr size_t OBFUSCATE_KEY_SIZE = 8;

/** One LevelDB database.
 *
 *  Obfuscation (used for the chainstate, as in Core): values are XORed with
 *  an 8-byte key repeated from each value's first byte, so that files on disk
 *  do not contain script bytes verbatim (anti-virus software has quarantined
 *  chainstate files for matching signatures). The key is generated at random
 *  when an empty database is opened with `obfuscate` and is stored, itself
 *  not obfuscated, in the database under OBFUSCATE_KEY_KEY. A database
 *  without that record uses the all-zero key, i.e. plain values. Keys are
 *  never obfuscated.
 *
 *  Thread safety: LevelDB synchronises its own state, so Read, Exists, Write,
 *  Erase, WriteBatch, NewIterator, EstimateSize and Compact may be called from
 *  several threads at once; this wrapper adds no lock of its own. A Batch or
 *  an Iterator is owned by one thread at a time. Iterators must be destroyed
 *  before the Database. */
class Database
{
public:
    /** Record holding the obfuscation key: 0x0e 0x00 "obfuscate_key" (Core's
     *  key). The leading 0x0e sorts it before every record prefix used. */
    static const std::string OBFUSCATE_KEY_KEY;

    /** Opens (creating if missing) the database. Throws DatabaseError if it
     *  cannot be opened; the message suggests -reindex for corruption. */
    explicit Database(const DatabaseOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /** False if `key` is absent. Throws DatabaseError on a read failure. */
    bool Read(ByteSpan key, Bytes& value) const;
    bool Exists(ByteSpan key) const;
    void Write(ByteSpan key, ByteSpan value, bool sync = false);
    void Erase(ByteSpan key, bool sync = false);

    /** Writes and erasures applied together by WriteBatch: after a crash
     *  either all of them are in the database or none. */
    class Batch
    {
    public:
        explicit Batch(const Database& db);
        ~Batch();
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

        void Write(ByteSpan key, ByteSpan value);
        void Erase(ByteSpan key);
        void Clear();
        /** Bytes the batch takes in LevelDB's log: keys, values and ~a dozen
         *  bytes of framing each. Used to cut large flushes into pieces. */
        size_t ApproximateSize() const;

    private:
        friend class Database;
        const Database& m_db;
        std::unique_ptr<leveldb::WriteBatch> m_batch;
        Bytes m_scratch; // reused buffer for obfuscated values
    };
    /** Applies a batch atomically; with `sync` it is on disk when this returns.
     *  The batch is left as it was (Clear() it to reuse it). */
    void WriteBatch(Batch& batch, bool sync = false);

    /** Walks records in key order (bytewise). Sees a consistent snapshot of
     *  the database taken when it was created. A read failure while moving
     *  throws DatabaseError: iteration never ends early in silence. */
    class Iterator
    {
    public:
        ~Iterator();
        Iterator(const Iterator&) = delete;
        Iterator& operator=(const Iterator&) = delete;

        void SeekToFirst();
        /** Positions at the first key >= `key` (a prefix seeks to the first
         *  record that has it). */
        void Seek(ByteSpan key);
        bool Valid() const;
        void Next();
        /** The current key; valid until the iterator moves. Requires Valid(). */
        ByteSpan Key() const;
        /** The current value, de-obfuscated. Requires Valid(). */
        Bytes Value() const;
        /** True if the current key starts with `prefix`. False if !Valid(). */
        bool KeyStartsWith(ByteSpan prefix) const;

    private:
        friend class Database;
        Iterator(const Database& db, leveldb::Iterator* it);
        void CheckStatus() const;
        const Database& m_db;
        std::unique_ptr<leveldb::Iterator> m_it;
    };
    std::unique_ptr<Iterator> NewIterator() const;

    /** Approximate bytes on disk for keys in [begin, end). */
    uint64_t EstimateSize(ByteSpan begin, ByteSpan end) const;
    /** Compacts keys in [begin, end] (discards overwritten and erased data). */
    void Compact(ByteSpan begin, ByteSpan end);
    /** True if the database holds no record at all. */
    bool IsEmpty() const;
    /** Bytes of memory LevelDB uses for memtables (an estimate). */
    size_t DynamicMemoryUsage() const;

    const std::filesystem::path& Path() const { return m_path; }
    /** The obfuscation key in use (all zero when values are stored plain). */
    ByteSpan ObfuscateKey() const { return {m_obfuscate_key, OBFUSCATE_KEY_SIZE}; }

private:
    /** Throws DatabaseError for a non-ok status (and for NotFound too: a
     *  caller that expects NotFound checks for it before calling this). */
    void HandleError(const leveldb::Status& status) const;
    /** XORs `data` in place with the obfuscation key. */
    void Xor(MutableByteSpan data) const;
    bool IsObfuscated() const;

    std::filesystem::path m_path;
    // Destroyed in reverse order: the DB before what it uses.
    std::unique_ptr<leveldb::Env> m_env; // in memory (memory_only), else reading tables with pread
    std::unique_ptr<leveldb::Cache> m_block_cache;
    std::unique_ptr<const leveldb::FilterPolicy> m_filter_policy;
    std::unique_ptr<leveldb::DB> m_db;
    uint8_t m_obfuscate_key[OBFUSCATE_KEY_SIZE]{};
};

/** Key of the format-version record shared by Cairn's databases: 'V'. */
inline constexpr uint8_t DB_FORMAT_VERSION_KEY = 'V';

/** Checks (and, for a new database, writes) the format version of a Cairn
 *  database. The value is a 4-byte little-endian number.
 *  - No version record and no record with any of `data_prefixes`: a new
 *    database; `our_version` is written.
 *  - No version record but data present: not a Cairn database of this kind
 *    (or one from before versions existed): DatabaseError, nothing changed.
 *  - A version newer than `our_version`: written by a newer Cairn whose
 *    format this build cannot read: DatabaseError, nothing changed.
 *  Returns the version found (or written). `what` names the database in
 *  messages ("chainstate", "block index"). */
uint32_t CheckFormatVersion(Database& db, uint32_t our_version, std::string_view what, ByteSpan data_prefixes);

} // namespace cairn

#endif
