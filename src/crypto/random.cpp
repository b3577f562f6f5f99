#include "crypto/random.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/random.h>

namespace cairn {

void GetRandBytes(MutableByteSpan out)
{
    size_t done = 0;
    while (done < out.size()) {
        // Reads of up to 256 bytes never come back short once the pool is
        // initialised, but a signal can still interrupt a larger one.
        const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        done += size_t(n);
    }
}

uint64_t GetRandUint64()
{
    uint64_t v;
    GetRandBytes({reinterpret_cast<uint8_t*>(&v), sizeof(v)});
    return v;
}

} // namespace cairn
