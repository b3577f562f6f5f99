// A fresh temporary directory for a test, deleted with everything in it when
// the test is done.
#ifndef CAIRN_TEST_UTIL_TMPDIR_H
#define CAIRN_TEST_UTIL_TMPDIR_H

#include <filesystem>
#include <string>

namespace cairn::test {

class TempDir
{
public:
    /** Creates /tmp/<prefix>_XXXXXX (unique, mode 0700); throws on failure. */
    explicit TempDir(const std::string& prefix = "cairn_test");
    /** Removes the directory tree; errors are ignored (a test must not fail
     *  in cleanup, and /tmp is cleaned eventually anyway). */
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& sub) const { return m_path / sub; }

private:
    std::filesystem::path m_path;
};

} // namespace cairn::test

#endif
