#include "node/datadir_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace cairn {

DatadirLock::~DatadirLock()
{
    if (m_fd >= 0) close(m_fd); // closing releases the lock
}

bool DatadirLock::Acquire(const std::filesystem::path& dir, std::string& error)
{
    const std::filesystem::path path = dir / ".lock";
    m_fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        error = "Cannot open lock file " + path.string() + ": " + std::strerror(errno);
        return false;
    }
    // fcntl locks, like Bitcoin Core's, so that the two also exclude each other.
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fcntl(m_fd, F_SETLK, &lock) == -1) {
        error = "Cannot obtain a lock on directory " + dir.string() + ". Cairn is probably already running.";
        close(m_fd);
        m_fd = -1;
        return false;
    }
    return true;
}

} // namespace cairn
