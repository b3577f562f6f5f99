// Tests for script/message_sign.h: Bitcoin Core's known signature (its
// signmessagewithprivkey test), round trips, and every result kind.
#include "script/address.h"
#include "script/message_sign.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(message_sign_tests)

BOOST_AUTO_TEST_CASE(known_signature)
{
    const auto key = DecodeSecret("cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N", ChainType::REGTEST);
    BOOST_REQUIRE(key);
    const std::string address = "mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB";
    BOOST_TEST(EncodeDestination(PKHash(key->GetPubKey()), ChainType::REGTEST) == address);
    std::string sig;
    BOOST_REQUIRE(MessageSign(*key, "This is just a test message", sig));
    BOOST_TEST(sig == "INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=");
    BOOST_TEST((MessageVerify(address, sig, "This is just a test message", ChainType::REGTEST) == MessageVerificationResult::OK));
    BOOST_TEST((MessageVerify(address, sig, "This is just a test message!", ChainType::REGTEST) ==
                MessageVerificationResult::ERR_NOT_SIGNED));
}

BOOST_AUTO_TEST_CASE(results)
{
    Key key;
    key.MakeNewKey(true);
    Key other;
    other.MakeNewKey(false);
    const std::string addr = EncodeDestination(PKHash(key.GetPubKey()), ChainType::MAIN);
    std::string sig, sig_other;
    BOOST_REQUIRE(MessageSign(key, "msg", sig));
    BOOST_REQUIRE(MessageSign(other, "msg", sig_other));
    BOOST_TEST((MessageVerify(addr, sig, "msg", ChainType::MAIN) == MessageVerificationResult::OK));
    // An uncompressed key's signature verifies against its own (uncompressed) address.
    BOOST_TEST((MessageVerify(EncodeDestination(PKHash(other.GetPubKey()), ChainType::MAIN), sig_other, "msg",
                              ChainType::MAIN) == MessageVerificationResult::OK));
    BOOST_TEST((MessageVerify(addr, sig_other, "msg", ChainType::MAIN) == MessageVerificationResult::ERR_NOT_SIGNED));
    BOOST_TEST((MessageVerify("invalid", sig, "msg", ChainType::MAIN) == MessageVerificationResult::ERR_INVALID_ADDRESS));
    BOOST_TEST((MessageVerify(addr, sig, "msg", ChainType::TESTNET) == MessageVerificationResult::ERR_INVALID_ADDRESS));
    const std::string p2wpkh = EncodeDestination(WitnessV0KeyHash(key.GetPubKey()), ChainType::MAIN);
    BOOST_TEST((MessageVerify(p2wpkh, sig, "msg", ChainType::MAIN) == MessageVerificationResult::ERR_ADDRESS_NO_KEY));
    BOOST_TEST((MessageVerify(addr, "not base64!", "msg", ChainType::MAIN) == MessageVerificationResult::ERR_MALFORMED_SIGNATURE));
    // Valid base64 but not 65 bytes, or a header that recovers no key.
    BOOST_TEST((MessageVerify(addr, "AAAA", "msg", ChainType::MAIN) == MessageVerificationResult::ERR_PUBKEY_NOT_RECOVERED));
}

BOOST_AUTO_TEST_SUITE_END()
