// What a SOCKS5 proxy may send back, and onion names from anywhere: any bytes
// must give a clean success or error, never a crash or an endless handshake.
#include "net/netaddress.h"
#include "net/onion_name.h"
#include "net/socks5.h"
#include "test/fuzz/fuzz.h"

#include <cstdlib>
#include <string>

using namespace cairn;

static void Require(bool ok)
{
    if (!ok) std::abort();
}

FUZZ_TARGET(socks5_reply)
{
    // The first byte chooses credentials or none, the rest are the proxy's replies.
    std::optional<ProxyCredentials> auth;
    if (!buffer.empty() && (buffer[0] & 1)) auth = ProxyCredentials{"user", "pass"};
    Socks5Handshake hs("node.test", 8333, auth);
    std::string error;
    Require(!hs.Start(error).empty());
    size_t pos = buffer.empty() ? 0 : 1;
    size_t steps = 0;
    while (!hs.Done() && hs.Wanted() > 0) {
        const size_t want = hs.Wanted();
        Require(want <= 257 + 2);
        if (buffer.size() - pos < want) return; // the proxy went quiet: the I/O times out
        Bytes out;
        if (!hs.Feed(buffer.subspan(pos, want), out, error)) {
            Require(!error.empty() && hs.Wanted() == 0);
            return;
        }
        pos += want;
        Require(++steps <= 5); // method, auth, reply head, name length, bound address
    }
}

FUZZ_TARGET(onion_name)
{
    const std::string text(buffer.begin(), buffer.end());
    if (const auto key = DecodeOnionName(text)) {
        // What decodes re-encodes to the same name (in lower case).
        std::string lower = text;
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        Require(EncodeOnionName(*key) == lower);
    }
    if (const auto addr = NetAddr::Parse(text); addr && addr->GetNetwork() == Network::ONION) {
        Require(NetAddr::Parse(addr->ToString()) == addr);
    }
}
