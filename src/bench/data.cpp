#include "bench/data.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace cairn::bench {

static std::string VectorsDir()
{
    if (const char* env = std::getenv("CAIRN_VECTORS_DIR"); env && *env) return env;
    return CAIRN_DEFAULT_VECTORS_DIR;
}

const Bytes& Block413567()
{
    static const Bytes data = [] {
        const std::string path = VectorsDir() + "/blocks/mainnet-413567.raw";
        std::ifstream f(path, std::ios::binary);
        if (!f) throw std::runtime_error("cannot open " + path + " (set CAIRN_VECTORS_DIR)");
        return Bytes(std::istreambuf_iterator<char>(f), {});
    }();
    return data;
}

} // namespace cairn::bench
