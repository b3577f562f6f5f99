// Text decoders: arbitrary strings must decode or be rejected, never crash,
// and what decodes must encode back.
#include "test/fuzz/fuzz.h"
#include "util/base58.h"
#include "util/bech32.h"
#include "util/hex.h"

#include <cstdlib>
#include <string>

using namespace cairn;

static std::string AsString(ByteSpan b) { return std::string(b.begin(), b.end()); }

FUZZ_TARGET(hex)
{
    std::string s = AsString(buffer);
    if (auto bytes = TryParseHex(s)) {
        std::string back = HexStr(*bytes);
        for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (back != s) std::abort();
    }
}

FUZZ_TARGET(base58)
{
    std::string s = AsString(buffer);
    if (auto bytes = DecodeBase58(s, 100)) {
        // Whitespace around the string is skipped, so compare with the decoded value instead.
        auto again = DecodeBase58(EncodeBase58(*bytes), 100);
        if (!again || *again != *bytes) std::abort();
    }
    (void)EncodeBase58(buffer);
}

FUZZ_TARGET(bech32)
{
    std::string s = AsString(buffer);
    Bech32Decoded d = Bech32Decode(s);
    if (d.encoding != Bech32Encoding::INVALID) {
        std::string back = Bech32Encode(d.encoding, d.hrp, d.data);
        std::string lower = s;
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (back != lower) std::abort();
    }
}
