// The lock that keeps two processes from opening one data directory.
#ifndef CAIRN_NODE_DATADIR_LOCK_H
#define CAIRN_NODE_DATADIR_LOCK_H

#include <filesystem>
#include <string>

namespace cairn {

/** Holds an exclusive lock on <dir>/.lock for as long as it lives (the file
 *  Bitcoin Core locks, so Core and Cairn also exclude each other). */
class DatadirLock
{
public:
    DatadirLock() = default;
    ~DatadirLock();
    DatadirLock(const DatadirLock&) = delete;
    DatadirLock& operator=(const DatadirLock&) = delete;

    /** False with a message for the user if another process holds it. */
    bool Acquire(const std::filesystem::path& dir, std::string& error);

private:
    int m_fd{-1};
};

} // namespace cairn

#endif
