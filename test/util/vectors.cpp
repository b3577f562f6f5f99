#include "test/util/vectors.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace cairn::test {

std::string VectorsDir()
{
    if (const char* env = std::getenv("CAIRN_VECTORS_DIR"); env && *env) return env;
    return CAIRN_DEFAULT_VECTORS_DIR;
}

std::string ReadVectorFile(const std::string& relpath)
{
    const std::string path = VectorsDir() + "/" + relpath;
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("missing test vector file: " + path);
    std::ostringstream ss;
    ss << f.rdbuf();
    if (f.bad()) throw std::runtime_error("cannot read test vector file: " + path);
    return ss.str();
}

Bytes ReadBzip2VectorFile(const std::string& relpath)
{
    const std::string path = VectorsDir() + "/" + relpath;
    if (!std::ifstream(path)) throw std::runtime_error("missing test vector file: " + path);
    FILE* p = popen(("bzip2 -dc '" + path + "'").c_str(), "r");
    if (!p) throw std::runtime_error("cannot run bzip2 for " + path);
    Bytes out;
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.insert(out.end(), buf, buf + n);
    int status = pclose(p);
    if (status != 0) throw std::runtime_error("bzip2 failed on " + path);
    return out;
}

void ReportCases(const std::string& file, size_t n)
{
    std::cout << file << ": " << n << " cases" << std::endl;
}

} // namespace cairn::test
