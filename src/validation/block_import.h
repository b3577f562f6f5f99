// Importing blocks from files: -loadblock (blk-format files from anywhere)
// and -reindex (the node's own blk files, rebuilding the block index).
//
// A blk-format file is a sequence of records: the network's magic (4 bytes),
// the block's size (u32le) and the block (with witnesses). Files written by a
// node that crashed, copied in pieces or damaged on disk can hold anything,
// so the reader trusts nothing: it scans for the magic past garbage, skips
// records whose size is absurd or runs past the end of the file, logs and
// skips blocks that do not decode, and reads 1 MiB at a time (a larger
// record is read whole, never more than one block's bytes at once).
// A record whose size field alone is damaged is recovered when the bytes
// after it decode to a block whose header has valid proof of work and
// commits to its transactions (a block is self-delimiting).
//
// Blocks are connected as they are read (each goes through the engine like a
// block from a peer), so the import runs as fast as validation. A block whose
// parent is not known yet is set aside by position (bounded memory) and
// processed as soon as its parent arrives, as Bitcoin Core does.
#ifndef CAIRN_VALIDATION_BLOCK_IMPORT_H
#define CAIRN_VALIDATION_BLOCK_IMPORT_H

#include "primitives/block.h"
#include "storage/block_files.h"
#include "util/uint256.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cairn {

class ChainstateManager;

/** What an import did, for the log and for tests. */
struct ImportStats {
    uint64_t files{0};            // files read to the end
    uint64_t blocks_read{0};      // blocks decoded from the files (set-aside ones counted once)
    uint64_t blocks_accepted{0};  // new blocks stored (or, on reindex, recorded where they are)
    uint64_t already_had{0};      // blocks the node already had
    uint64_t rejected{0};         // invalid blocks
    uint64_t bad_records{0};      // records skipped: absurd size, past the end of the file, undecodable
    uint64_t recovered{0};        // records with a damaged size whose block was recovered
    uint64_t unknown_parent{0};   // blocks set aside until their parent arrived
    uint64_t dropped{0};          // set-aside blocks never processed (parent never came, or over the bound)
    bool interrupted{false};
    bool failed{false};           // a fatal error (disk, database) stopped the import
};

struct ImportOptions {
    /** Polled between blocks; true stops the import. */
    std::function<bool()> interrupt;
    /** Memory for remembering where out-of-order blocks are (about 128 bytes
     *  each); blocks beyond it are dropped with a log line. */
    size_t max_unknown_parent_bytes{size_t(32) << 20};
    /** Bytes of a file read at once. A record larger than this is read
     *  whole, so the buffer holds at most max(this, the largest record):
     *  the buffer stays resident for the whole import, so it is kept small. */
    size_t read_window_bytes{size_t(1) << 20};
    /** A progress line is logged at most this often. */
    std::chrono::seconds progress_interval{10};
};

/** One import: -reindex and/or -loadblock files share the set-aside blocks
 *  (a block may wait in one file for a parent in a later one). Not
 *  thread-safe; the engine is called without holding its lock. */
class BlockImporter
{
public:
    BlockImporter(ChainstateManager& chainman, ImportOptions options = {});

    /** -loadblock: reads one blk-format file with the chain's magic. Returns
     *  false if interrupted or stopped by a fatal error; a file that cannot
     *  be opened is logged and skipped (true). */
    bool LoadExternalFile(const std::filesystem::path& file);
    /** -reindex: reads blocks/blk00000.dat, blk00001.dat, ... up to the first
     *  missing one, recording each block where it is stored. Nothing else
     *  may store blocks meanwhile. Returns false if interrupted or failed. */
    bool Reindex();
    /** Logs and counts the set-aside blocks whose parent never came. */
    void Finish();

    const ImportStats& Stats() const { return m_stats; }

private:
    /** Where a block is: a file of m_sources, its payload offset and size. */
    struct Source {
        std::filesystem::path path;
        int blk_file{-1}; // the node's own blkNNNNN.dat (reindex), else -1
    };
    struct Position {
        size_t source;
        uint64_t offset;
        uint32_t size;
    };

    /** Reads one file, handing each block to HandleBlock. */
    bool ReadFile(size_t source);
    /** A decoded block from `pos`: processes it (or sets it aside if its parent
     *  is unknown), then any set-aside blocks waiting for it. False to stop. */
    bool HandleBlock(const std::shared_ptr<const Block>& block, const Position& pos);
    /** Stores and connects one block whose parent is known. False to stop. */
    bool ProcessBlock(const std::shared_ptr<const Block>& block, const Position& pos);
    /** Re-reads a set-aside block; nullptr (logged) if it cannot be read. */
    std::shared_ptr<const Block> ReadAt(const Position& pos);
    bool Interrupted();
    void LogProgress(bool force);
    /** A bad record or invalid block: logged, and shown to the user by the node. */
    void ReportProblem(const std::string& message);

    ChainstateManager& m_chainman;
    ImportOptions m_opts;
    ImportStats m_stats;
    std::vector<Source> m_sources;
    /** Blocks whose parent was unknown when read, by that parent's hash. */
    std::multimap<uint256, Position> m_unknown_parent;
    size_t m_max_unknown_parent;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_progress;
    uint64_t m_blocks_at_last_progress{0};
};

} // namespace cairn

#endif
