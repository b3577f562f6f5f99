// Tests for util/base64.h (RFC 4648 vectors and Bitcoin Core's strictness).
#include "util/base64.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace cairn;

namespace {
std::string AsString(const std::optional<Bytes>& b) { return b ? std::string(b->begin(), b->end()) : "<invalid>"; }
} // namespace

BOOST_AUTO_TEST_SUITE(base64_tests)

BOOST_AUTO_TEST_CASE(rfc4648_vectors)
{
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        BOOST_CHECK_EQUAL(EncodeBase64(plain), encoded);
        BOOST_CHECK_EQUAL(AsString(DecodeBase64(encoded)), plain);
    }
    // All byte values round-trip, including '+' and '/' digits.
    Bytes all;
    for (int i = 0; i < 256; ++i) all.push_back(uint8_t(i));
    const std::string enc = EncodeBase64(all);
    BOOST_CHECK(enc.find('+') != std::string::npos && enc.find('/') != std::string::npos);
    BOOST_CHECK(DecodeBase64(enc) == all);
    BOOST_CHECK_EQUAL(EncodeBase64("__cookie__:abc"), "X19jb29raWVfXzphYmM=");
}

BOOST_AUTO_TEST_CASE(strict_decoding)
{
    for (const char* bad : {"Zg", "Zg=", "Zm9", "Z", "Zg===", "====", "Z===", "Zm=v", "=Zm9", "Zm9v\n", " Zm9v", "Zm9v ",
                            "Zm9-", "Zm9_", "Zh==", "Zm9=x===", "Zm8=Zm8=", "Zm9vYh==", "Zm9vYmF="}) {
        BOOST_CHECK_MESSAGE(!DecodeBase64(bad), bad);
    }
    BOOST_CHECK_EQUAL(AsString(DecodeBase64("AAAA")), std::string(3, '\0'));
    BOOST_CHECK(DecodeBase64(std::string("Zm9v\0", 5)) == std::nullopt);
}

BOOST_AUTO_TEST_SUITE_END()
