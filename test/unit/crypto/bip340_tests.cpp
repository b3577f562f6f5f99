// BIP 340's published test vectors (bip340-test-vectors.csv): every row's
// verification result, and for rows with a secret key, signing with the
// given aux_rand must reproduce the signature.
#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace cairn;

namespace {

std::vector<std::string> SplitCsvLine(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

} // namespace

BOOST_AUTO_TEST_SUITE(bip340_tests)

BOOST_AUTO_TEST_CASE(csv_vectors)
{
    const std::string file = "bips/bip340-test-vectors.csv";
    std::istringstream csv(test::ReadVectorFile(file));
    std::string line;
    BOOST_REQUIRE(std::getline(csv, line)); // header
    BOOST_REQUIRE(line.rfind("index,secret key,public key,aux_rand,message,signature,verification result", 0) == 0);

    size_t rows = 0, signed_rows = 0;
    while (std::getline(csv, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const std::vector<std::string> f = SplitCsvLine(line);
        BOOST_REQUIRE_GE(f.size(), 7u);
        const std::string& index = f[0];
        const Bytes pubkey = ParseHex(f[2]);
        const Bytes msg = ParseHex(f[4]);
        const Bytes sig = ParseHex(f[5]);
        const bool expected = f[6] == "TRUE";
        BOOST_REQUIRE(expected || f[6] == "FALSE");

        BOOST_REQUIRE_EQUAL(pubkey.size(), 32u);
        BOOST_TEST(XOnlyPubKey(pubkey).VerifySchnorr(msg, sig) == expected, "row " << index << " " << f[7 % f.size()]);

        if (!f[1].empty()) {
            Key key;
            BOOST_REQUIRE(key.Set(ParseHex(f[1]), true));
            BOOST_TEST(HexStr(key.GetXOnlyPubKey().span()) == HexStr(pubkey), "row " << index);
            const uint256 aux(ParseHex(f[3]));
            uint8_t out[64];
            BOOST_REQUIRE(key.SignSchnorr(msg, out, &aux));
            BOOST_TEST(HexStr(out) == HexStr(sig), "row " << index);
            ++signed_rows;
        }
        ++rows;
    }
    test::ReportCases(file, rows);
    BOOST_TEST(rows == 19u);
    BOOST_TEST(signed_rows > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
