// Tests for script/address.h: Bitcoin Core's key_io vectors for every
// network, plus the error messages validateaddress shows.
#include "script/address.h"
#include "script/address_params.h"
#include "script/base58check.h"
#include "script/destination.h"
#include "util/chaintype.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <numeric>
#include <string>
#include <vector>

using namespace cairn;

namespace {

UniValue ReadJson(const std::string& path)
{
    UniValue v;
    BOOST_REQUIRE(v.read(test::ReadVectorFile(path)));
    BOOST_REQUIRE(v.isArray());
    return v;
}

ChainType ChainOf(const UniValue& meta)
{
    const std::optional<ChainType> chain = ChainTypeFromString(find_value(meta, "chain").get_str());
    BOOST_REQUIRE(chain);
    return *chain;
}

std::string FlipCase(std::string s)
{
    for (char& c : s) {
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
    return s;
}

struct DecodeResult {
    bool valid;
    std::string error;
    std::vector<int> locations;
};

DecodeResult Decode(const std::string& s, ChainType chain)
{
    DecodeResult r;
    const Destination d = DecodeDestination(s, chain, r.error, &r.locations);
    r.valid = IsValidDestination(d);
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(key_io_tests)

BOOST_AUTO_TEST_CASE(chain_type_names)
{
    for (ChainType c : ALL_CHAIN_TYPES) BOOST_CHECK(ChainTypeFromString(ChainTypeToString(c)) == c);
    BOOST_CHECK(ChainTypeToString(ChainType::TESTNET) == "test");
    BOOST_CHECK(!ChainTypeFromString("testnet"));
    BOOST_CHECK(!ChainTypeFromString("Main"));
}

BOOST_AUTO_TEST_CASE(address_params)
{
    BOOST_CHECK(GetAddressParams(ChainType::MAIN).bech32_hrp == "bc");
    BOOST_CHECK(GetAddressParams(ChainType::TESTNET).bech32_hrp == "tb");
    BOOST_CHECK(GetAddressParams(ChainType::TESTNET4).bech32_hrp == "tb");
    BOOST_CHECK(GetAddressParams(ChainType::SIGNET).bech32_hrp == "tb");
    BOOST_CHECK(GetAddressParams(ChainType::REGTEST).bech32_hrp == "bcrt");
    BOOST_CHECK_EQUAL(GetAddressParams(ChainType::MAIN).secret_key[0], 128);
    BOOST_CHECK_EQUAL(GetAddressParams(ChainType::REGTEST).script_address[0], 196);
}

BOOST_AUTO_TEST_CASE(valid_vectors)
{
    const std::string path = "core/key_io_valid.json";
    const UniValue tests = ReadJson(path);
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        if (row.size() < 3) continue; // comment
        const std::string& str = row[0].get_str();
        const Bytes payload = ParseHex(row[1].get_str());
        const UniValue& meta = row[2];
        const ChainType chain = ChainOf(meta);
        const bool is_privkey = find_value(meta, "isPrivkey").get_bool();
        const UniValue& flip = find_value(meta, "tryCaseFlip");
        const bool try_case_flip = !flip.isNull() && flip.get_bool();
        BOOST_TEST_CONTEXT("case " << i << ": " << str)
        {
            if (is_privkey) {
                const bool compressed = find_value(meta, "isCompressed").get_bool();
                const std::optional<Key> key = DecodeSecret(str, chain);
                BOOST_REQUIRE(key && key->IsValid());
                BOOST_CHECK_EQUAL(key->IsCompressed(), compressed);
                BOOST_CHECK_EQUAL(HexStr(key->span()), HexStr(payload));
                // A private key is never also an address.
                BOOST_CHECK(!IsValidDestinationString(str, chain));
                BOOST_CHECK_EQUAL(EncodeSecret(*key, chain), str);
            } else {
                std::string error;
                const Destination dest = DecodeDestination(str, chain, error);
                BOOST_REQUIRE_MESSAGE(IsValidDestination(dest), error);
                BOOST_CHECK_EQUAL(error, "");
                BOOST_CHECK_EQUAL(HexStr(GetScriptForDestination(dest)), HexStr(payload));
                BOOST_CHECK(!DecodeSecret(str, chain));

                Destination extracted;
                BOOST_CHECK(ExtractDestination(Script(payload), extracted));
                BOOST_CHECK(extracted == dest);
                BOOST_CHECK_EQUAL(EncodeDestination(extracted, chain), str);

                // Bech32 is case-insensitive (all one case); Base58 is not.
                const Destination flipped = DecodeDestination(FlipCase(str), chain);
                BOOST_CHECK_EQUAL(IsValidDestination(flipped), try_case_flip);
                if (try_case_flip) BOOST_CHECK(flipped == dest);
                BOOST_CHECK(!DecodeSecret(FlipCase(str), chain));
            }
        }
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 70U);
    test::ReportCases(path, cases);
}

BOOST_AUTO_TEST_CASE(invalid_vectors)
{
    const std::string path = "core/key_io_invalid.json";
    const UniValue tests = ReadJson(path);
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        BOOST_REQUIRE(row.size() >= 1);
        const std::string& str = row[0].get_str();
        for (ChainType chain : ALL_CHAIN_TYPES) {
            BOOST_TEST_CONTEXT("case " << i << " '" << str << "' on " << ChainTypeToString(chain))
            {
                std::string error;
                BOOST_CHECK(!IsValidDestination(DecodeDestination(str, chain, error)));
                BOOST_CHECK(!error.empty());
                BOOST_CHECK(!DecodeSecret(str, chain));
            }
        }
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 70U);
    test::ReportCases(path, cases);
}

BOOST_AUTO_TEST_CASE(secret_edge_cases)
{
    Key key;
    Bytes secret(32, 0);
    secret[31] = 1;
    BOOST_REQUIRE(key.Set(secret, true));
    const std::string wif = EncodeSecret(key, ChainType::MAIN);
    BOOST_CHECK_EQUAL(wif, "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn");
    BOOST_CHECK(DecodeSecret(wif, ChainType::MAIN));
    // Testnet keys are not mainnet keys and the other way round.
    BOOST_CHECK(!DecodeSecret(wif, ChainType::TESTNET));
    BOOST_CHECK(DecodeSecret(EncodeSecret(key, ChainType::REGTEST), ChainType::SIGNET));
    BOOST_REQUIRE(key.Set(secret, false));
    BOOST_CHECK_EQUAL(EncodeSecret(key, ChainType::MAIN), "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf");
    BOOST_CHECK_EQUAL(EncodeSecret(Key(), ChainType::MAIN), "");
}

BOOST_AUTO_TEST_CASE(encode_without_address)
{
    BOOST_CHECK_EQUAL(EncodeDestination(NoDestination(), ChainType::MAIN), "");
    BOOST_CHECK_EQUAL(EncodeDestination(WitnessUnknown(1, Bytes(41, 0)), ChainType::MAIN), "");
    BOOST_CHECK_EQUAL(EncodeDestination(WitnessUnknown(17, Bytes(2, 0)), ChainType::MAIN), "");
    BOOST_CHECK_EQUAL(EncodeDestination(WitnessUnknown(0, Bytes(20, 0)), ChainType::MAIN), "");
    BOOST_CHECK_EQUAL(EncodeDestination(PayToAnchor(), ChainType::MAIN), "bc1pfeessrawgf");
    BOOST_CHECK(DecodeDestination("bc1pfeessrawgf", ChainType::MAIN) == Destination(PayToAnchor()));
    BOOST_CHECK(DecodeDestination("bcrt1pfeesnyr2tx", ChainType::REGTEST) == Destination(PayToAnchor()));
}

// The messages and locations of Bitcoin Core's rpc_invalid_address_message
// functional test (regtest), for the HRP-routed decoding of Core 28-30.
BOOST_AUTO_TEST_CASE(error_messages)
{
    const ChainType R = ChainType::REGTEST;
    struct Case {
        const char* addr;
        const char* error;
        std::vector<int> locations;
    };
    std::vector<int> too_long(18);
    std::iota(too_long.begin(), too_long.end(), 90);
    const std::vector<Case> cases{
        {"bcrt1s0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav25430mtr",
         "Invalid Bech32 address program size (41 bytes)", {}},
        {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
         "Invalid or unsupported Segwit (Bech32) or Base58 encoding.", {}},
        {"bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqdmchcc",
         "Version 1+ witness address must use Bech32m checksum", {}},
        {"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k35mrzd", "Version 0 witness address must use Bech32 checksum", {}},
        {"bcrt130xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqynjegk", "Invalid Bech32 address witness version",
         {}},
        {"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kqqq5k3my",
         "Invalid Bech32 v0 address program size (21 bytes), per BIP141", {}},
        {"bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23m",
         "Bech32 string too long", too_long},
        {"bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid Bech32 checksum", {9}},
        {"bcrt1qax9suht3qv95sw33xavx8crpxduefdrsvgsklu", "Invalid Bech32 checksum", {22, 43}},
        {"BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U32RAH7R", "Invalid Bech32 checksum", {38}},
        {"bcrtq049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Missing separator", {}},
        {"bcrt1q04oldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid Base 32 character", {8}},
        {"bcrt1qdg3myrgvzw7ml8q0ejxhlkyxn7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks", "Invalid Bech32 checksum", {19, 30}},
        {"bcrt1ptmp74ayg7p24uslctssvjm06q5phz4yrxucgnv", "Invalid Bech32 checksum", {5}},
        {"bcrt1Qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", "Invalid character or mixed case", {5}},
        {"bcrt1qyyyy", "Invalid separator position", {4}},
        {"17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem", "Invalid or unsupported Base58-encoded address.", {}},
        {"mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJJfn", "Invalid checksum or length of Base58 address (P2PKH or P2SH)", {}},
        {"2VKf7XKMrp4bVNVmuRbyCewkP8FhGLP2E54LHDPakr9Sq5mtU2",
         "Invalid checksum or length of Base58 address (P2PKH or P2SH)", {}},
        {"asfah14i8fajz0123f", "Invalid or unsupported Segwit (Bech32) or Base58 encoding.", {}},
        {"1q049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid or unsupported Segwit (Bech32) or Base58 encoding.", {}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.addr)
        {
            const DecodeResult r = Decode(c.addr, R);
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.error, c.error);
            BOOST_CHECK_EQUAL_COLLECTIONS(r.locations.begin(), r.locations.end(), c.locations.begin(),
                                          c.locations.end());
        }
    }
    for (const char* valid : {"bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv", "bcrt1p424qxxyd0r",
                              "BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U33RAH7R",
                              "bcrt1qdg3myrgvzw7ml9q0ejxhlkyxm7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks",
                              "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"}) {
        const DecodeResult r = Decode(valid, R);
        BOOST_CHECK_MESSAGE(r.valid, valid << ": " << r.error);
        BOOST_CHECK(r.error.empty() && r.locations.empty());
    }
    // A regtest address read on mainnet: the HRP "bc" matches, the decoded one does not.
    BOOST_CHECK_EQUAL(Decode("bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv", ChainType::MAIN).error,
                      "Invalid or unsupported prefix for Segwit (Bech32) address (expected bc, got bcrt).");
    // An unknown prefix versus a known prefix with the wrong length.
    BOOST_CHECK_EQUAL(Decode("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", R).error,
                      "Invalid or unsupported Base58-encoded address.");
    Bytes short_pkh(20, 0x11);
    short_pkh[0] = 111;
    BOOST_CHECK_EQUAL(Decode(EncodeBase58Check(short_pkh), R).error, "Invalid length for Base58 address (P2PKH or P2SH)");
}

BOOST_AUTO_TEST_SUITE_END()
