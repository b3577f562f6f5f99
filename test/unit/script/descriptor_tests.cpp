// Tests for script/descriptor.h, on cases from Bitcoin Core's descriptor
// tests: parsing (private and public forms), the canonical string, expansion
// to scriptPubKeys at several positions, and Core's parse error messages.
#include "script/descriptor.h"
#include "script/descriptor_checksum.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace cairn;

namespace {

const std::string WIF_C = "L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1";
const std::string PUB_C = "03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd";
const std::string WIF_U = "5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss";
const std::string PUB_U = "04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235";

std::unique_ptr<Descriptor> ParseOne(const std::string& text, ChainType chain = ChainType::MAIN)
{
    std::string error;
    auto descs = ParseDescriptor(text, chain, error);
    BOOST_REQUIRE_MESSAGE(descs.size() == 1, text + ": " + error);
    return std::move(descs[0]);
}

std::vector<std::string> Hexes(const Descriptor& desc, uint32_t pos)
{
    std::vector<Script> scripts;
    BOOST_REQUIRE(desc.Expand(pos, scripts));
    std::vector<std::string> out;
    for (const Script& s : scripts) out.push_back(HexStr(s));
    return out;
}

/** prv parses; it and pub print as pub; both expand to `scripts` at positions 0, 1, ... */
void Check(const std::string& prv, const std::string& pub, const std::vector<std::vector<std::string>>& scripts,
           bool range = false, bool pub_can_expand = true)
{
    for (const std::string& text : {prv, pub}) {
        const auto desc = ParseOne(text);
        BOOST_TEST(desc->ToString() == AddDescriptorChecksum(pub), text);
        BOOST_TEST(desc->IsRange() == range);
        BOOST_TEST(desc->IsSolvable());
        BOOST_TEST(desc->HasPrivateKeys() == (text == prv && prv != pub));
        // The canonical string parses again, with its checksum required.
        std::string error;
        BOOST_TEST(ParseDescriptor(desc->ToString(), ChainType::MAIN, error, true).size() == 1, error);
        if (text == pub && !pub_can_expand) {
            std::vector<Script> out;
            BOOST_TEST(!desc->Expand(0, out));
            continue;
        }
        for (size_t i = 0; i < scripts.size(); ++i) {
            BOOST_TEST(Hexes(*desc, uint32_t(i)) == scripts[i], text << " at " << i);
        }
    }
}

void CheckUnparsable(const std::string& text, const std::string& expected_error)
{
    std::string error;
    const auto descs = ParseDescriptor(text, ChainType::MAIN, error);
    BOOST_TEST(descs.empty(), text);
    BOOST_TEST(error == expected_error, text);
}

} // namespace

BOOST_AUTO_TEST_SUITE(descriptor_tests)

BOOST_AUTO_TEST_CASE(single_key)
{
    Check("combo(" + WIF_C + ")", "combo(" + PUB_C + ")",
          {{"2103a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bdac",
            "76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac", "00149a1c78a507689f6f54b847ad1cef1e614ee23f1e",
            "a91484ab21b1b2fd065d4504ff693d832434b6108d7b87"}});
    Check("pk(" + WIF_C + ")", "pk(" + PUB_C + ")",
          {{"2103a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bdac"}});
    Check("pkh([deadbeef/1/2'/3/4']" + WIF_C + ")", "pkh([deadbeef/1/2'/3/4']" + PUB_C + ")",
          {{"76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac"}});
    Check("wpkh(" + WIF_C + ")", "wpkh(" + PUB_C + ")", {{"00149a1c78a507689f6f54b847ad1cef1e614ee23f1e"}});
    Check("sh(wpkh(" + WIF_C + "))", "sh(wpkh(" + PUB_C + "))", {{"a91484ab21b1b2fd065d4504ff693d832434b6108d7b87"}});
    Check("tr(" + WIF_C + ")", "tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)",
          {{"512077aab6e066f8a7419c5ab714c12c67d25007ed55a43cadcacb4d7a970a093f11"}});
    Check("combo(" + WIF_U + ")", "combo(" + PUB_U + ")",
          {{"41" + PUB_U + "ac", "76a914b5bd079c4d57cc7fc28ecf8213a6b791625b818388ac"}});
    Check("pkh(" + WIF_U + ")", "pkh(" + PUB_U + ")", {{"76a914b5bd079c4d57cc7fc28ecf8213a6b791625b818388ac"}});
    Check("sh(pk(" + WIF_C + "))", "sh(pk(" + PUB_C + "))", {{"a9141857af51a5e516552b3086430fd8ce55f7c1a52487"}});
    Check("sh(pkh(" + WIF_C + "))", "sh(pkh(" + PUB_C + "))", {{"a9141a31ad23bf49c247dd531a623c2ef57da3c400c587"}});
    Check("wsh(pk(" + WIF_C + "))", "wsh(pk(" + PUB_C + "))",
          {{"00202e271faa2325c199d25d22e1ead982e45b64eeb4f31e73dbdf41bd4b5fec23fa"}});
    Check("wsh(pkh(" + WIF_C + "))", "wsh(pkh(" + PUB_C + "))",
          {{"0020338e023079b91c58571b20e602d7805fb808c22473cbc391a41b1bd3a192e75b"}});
    Check("sh(wsh(pk(" + WIF_C + ")))", "sh(wsh(pk(" + PUB_C + ")))",
          {{"a91472d0c5a3bfad8c3e7bd5303a72b94240e80b6f1787"}});
    Check("sh(wsh(pkh(" + WIF_C + ")))", "sh(wsh(pkh(" + PUB_C + ")))",
          {{"a914b61b92e2ca21bac1e72a3ab859a742982bea960a87"}});
}

BOOST_AUTO_TEST_CASE(taproot_tree)
{
    const std::string x = "03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5";
    const std::string prv = "tr(" + x + ",{pk(" + x + "),{pk(" + WIF_C + "),pk(" + x + ")}})";
    const std::string pub = "tr(" + x + ",{pk(" + x + "),{pk(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd),pk(" + x + ")}})";
    Check(prv, pub, {{"51201497ae16f30dacb88523ed9301bff17773b609e8a90518a3f96ea328a47d1500"}});
}

BOOST_AUTO_TEST_CASE(bip32_keys)
{
    Check("combo([01234567]xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc)",
          "combo([01234567]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL)",
          {{"2102d2b36900396c9282fa14628566582f206a5dd0bcc8d5e892611806cafb0301f0ac",
            "76a91431a507b815593dfc51ffc7245ae7e5aee304246e88ac", "001431a507b815593dfc51ffc7245ae7e5aee304246e",
            "a9142aafb926eb247cb18240a7f4c07983ad1f37922687"}});
    Check("pk(xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0)",
          "pk(xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0)",
          {{"210379e45b3cf75f9c5f9befd8e9506fb962f6a9d185ac87001ec44a8d3df8d4a9e3ac"}});
    // Hardened steps: only the xprv form can expand.
    Check("pkh(xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U/2147483647'/0)",
          "pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/2147483647'/0)",
          {{"76a914ebdc90806a9c4356c1c88e42216611e1cb4c1c1788ac"}}, false, false);
    Check("wpkh([ffffffff/13']xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt/1/2/*)",
          "wpkh([ffffffff/13']xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH/1/2/*)",
          {{"0014326b2249e3a25d5dc60935f044ee835d090ba859"}, {"0014af0bd98abc2f2cae66e36896a39ffe2d32984fb7"},
           {"00141fa798efd1cbf95cebf912c031b8a4a6e9fb9f27"}},
          true);
    Check("sh(wpkh(xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi/10/20/30/40/*'))",
          "sh(wpkh(xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8/10/20/30/40/*'))",
          {{"a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87"}, {"a914bed59fc0024fae941d6e20a3b44a109ae740129287"},
           {"a9148483aa1116eb9c05c482a72bada4b1db24af654387"}},
          true, false);
    Check("combo(xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334/*)",
          "combo(xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV/*)",
          {{"2102df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076ac",
            "76a914f90e3178ca25f2c808dc76624032d352fdbdfaf288ac", "0014f90e3178ca25f2c808dc76624032d352fdbdfaf2",
            "a91408f3ea8c68d4a7585bf9e8bda226723f70e445f087"},
           {"21032869a233c9adff9a994e4966e5b821fd5bac066da6c3112488dc52383b4a98ecac",
            "76a914a8409d1b6dfb1ed2a3e8aa5e0ef2ff26b15b75b788ac", "0014a8409d1b6dfb1ed2a3e8aa5e0ef2ff26b15b75b7",
            "a91473e39884cb71ae4e5ac9739e9225026c99763e6687"}},
          true);
    Check("tr(xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc/0/*,pk(xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc/1/*))",
          "tr(xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL/0/*,pk(xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL/1/*))",
          {{"512078bc707124daa551b65af74de2ec128b7525e10f374dc67b64e00ce0ab8b3e12"},
           {"512001f0a02a17808c20134b78faab80ef93ffba82261ccef0a2314f5d62b6438f11"},
           {"512021024954fcec88237a9386fce80ef2ced5f1e91b422b26c59ccfc174c8d1ad25"}},
          true);
    Check("wsh(multi(1,xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334/0," + WIF_C + "))",
          "wsh(multi(1,xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV/0," + PUB_C + "))",
          {{"0020cb155486048b23a6da976d4c6fe071a2dbc8a7b57aaf225b8955f2e2a27b5f00"}});
    Check("multi(1,xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334/*," + WIF_C + ")",
          "multi(1,xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV/*," + PUB_C + ")",
          {{"512102df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e0762103a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd52ae"},
           {"5121032869a233c9adff9a994e4966e5b821fd5bac066da6c3112488dc52383b4a98ec2103a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd52ae"}},
          true);
    Check("multi(1," + WIF_C + "," + WIF_U + ")", "multi(1," + PUB_C + "," + PUB_U + ")",
          {{"5121" + PUB_C + "41" + PUB_U + "52ae"}});
    // sortedmulti puts the uncompressed (04) key after the compressed (03) one whatever the order given.
    Check("sortedmulti(1," + WIF_U + "," + WIF_C + ")", "sortedmulti(1," + PUB_U + "," + PUB_C + ")",
          {{"5121" + PUB_C + "41" + PUB_U + "52ae"}});
}

BOOST_AUTO_TEST_CASE(multipath)
{
    std::string error;
    auto descs = ParseDescriptor("wpkh([ffffffff/13h]xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH/<1;3>/2/*)",
                                 ChainType::MAIN, error);
    BOOST_REQUIRE_EQUAL(descs.size(), 2U);
    BOOST_TEST(descs[0]->ToString() == AddDescriptorChecksum("wpkh([ffffffff/13h]xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH/1/2/*)"));
    BOOST_TEST(Hexes(*descs[1], 0) == std::vector<std::string>{"001426183882ef9c76b9a44386e9b387f33cee7c3a2d"});
    BOOST_TEST(Hexes(*descs[1], 2) == std::vector<std::string>{"00146e92cbaa397f9caeccf9a049460258af6ccd67e2"});
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/<0;1>/<2;3>)",
                    "pkh(): Multiple multipath key path specifiers found");
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/<0>)",
                    "pkh(): Multipath key path specifiers must have at least two items");
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/<1;1>)",
                    "pkh(): Duplicated key path value 1 in multipath specifier");
    CheckUnparsable("pkh([deadbeef/<0;1>]xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/0)",
                    "pkh(): Key path value '<0;1>' specifies multipath in a section where multipath is not allowed");
}

BOOST_AUTO_TEST_CASE(addr_raw)
{
    const auto addr = ParseOne("addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2)");
    BOOST_TEST(!addr->IsSolvable());
    BOOST_TEST(Hexes(*addr, 0) == std::vector<std::string>{"76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac"});
    const auto raw = ParseOne("raw(6a0401020304)");
    BOOST_TEST(raw->ToString() == AddDescriptorChecksum("raw(6a0401020304)"));
    BOOST_TEST(!raw->IsSolvable());
    CheckUnparsable("addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3)", "Address is not valid");
    CheckUnparsable("raw(6a04zz)", "Raw script is not hex");
}

BOOST_AUTO_TEST_CASE(checksums)
{
    const std::string body = "addr(mkmZxiEcEd8ZqjQWVZuC6so5dFMKEFpN2j)";
    const std::string cs = DescriptorChecksum(body);
    std::string error;
    BOOST_TEST(ParseDescriptor(body + "#" + cs, ChainType::REGTEST, error, true).size() == 1U);
    BOOST_TEST(ParseDescriptor(body, ChainType::REGTEST, error, false).size() == 1U);
    BOOST_TEST(ParseDescriptor(body, ChainType::REGTEST, error, true).empty());
    BOOST_TEST(error == "Missing checksum");
    BOOST_TEST(ParseDescriptor(body + "#" + cs + "#", ChainType::REGTEST, error).empty());
    BOOST_TEST(error == "Multiple '#' symbols");
    BOOST_TEST(ParseDescriptor(body + "#abc", ChainType::REGTEST, error).empty());
    BOOST_TEST(error == "Expected 8 character checksum, not 3 characters");
    BOOST_TEST(ParseDescriptor(body + "#aaaaaaaa", ChainType::REGTEST, error).empty());
    BOOST_TEST(error == "Provided checksum 'aaaaaaaa' does not match computed checksum '" + cs + "'");
    BOOST_TEST(GetDescriptorChecksum(body) == cs);
    BOOST_TEST(GetDescriptorChecksum(body + "#aaaaaaaa") == "");
    // A mainnet address is not an address on regtest.
    BOOST_TEST(ParseDescriptor("addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2)", ChainType::REGTEST, error).empty());
    BOOST_TEST(error == "Address is not valid");
}

BOOST_AUTO_TEST_CASE(errors)
{
    CheckUnparsable("sh(wpkh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5))",
                    "wpkh(): Pubkey '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5' is invalid");
    CheckUnparsable("pkh(deadbeef/1/2'/3/4']" + WIF_C + ")",
                    "pkh(): Key origin start '[ character expected but not found, got 'd' instead");
    CheckUnparsable("pkh([deadbeef]/1/2'/3/4']" + WIF_C + ")", "pkh(): Multiple ']' characters found for a single pubkey");
    CheckUnparsable("wpkh(" + WIF_U + ")", "wpkh(): Uncompressed keys are not allowed");
    CheckUnparsable("wsh(pk(" + WIF_U + "))", "pk(): Uncompressed keys are not allowed");
    CheckUnparsable("combo(07a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235)",
                    "combo(): Hybrid public keys are not allowed");
    CheckUnparsable("combo([012345678]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL)",
                    "combo(): Fingerprint is not 4 bytes (9 characters instead of 8 characters)");
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/2147483648)",
                    "pkh(): Key path value 2147483648 is out of range");
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/1aa)",
                    "pkh(): Key path value '1aa' is not a valid uint32");
    CheckUnparsable("pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/+1)",
                    "pkh(): Key path value '+1' is not a valid uint32");
    CheckUnparsable("pkh([0123456g]" + PUB_C + ")", "pkh(): Fingerprint '0123456g' is not hex");
    CheckUnparsable("pkh()", "pkh(): No key provided");
    CheckUnparsable("pkh(xpubnotakey/0)", "pkh(): key 'xpubnotakey' is not valid");
    CheckUnparsable("multi(a," + PUB_C + ")", "Multi threshold 'a' is not valid");
    CheckUnparsable("multi(0," + PUB_C + ")", "Multisig threshold cannot be 0, must be at least 1");
    CheckUnparsable("multi(3," + PUB_C + "," + PUB_U + ")",
                    "Multisig threshold cannot be larger than the number of keys; threshold is 3 but only 2 keys specified");
    CheckUnparsable("multi(1," + PUB_C + "," + PUB_C + "," + PUB_C + "," + PUB_C + ")",
                    "Cannot have 4 pubkeys in bare multisig; only at most 3 pubkeys");
    CheckUnparsable("multi(1)", "Cannot have 0 keys in multisig; must have between 1 and 20 keys, inclusive");
    CheckUnparsable("multi(1," + PUB_C + ";" + PUB_C + ")", "Multi: key '" + PUB_C + ";" + PUB_C + "' is not valid");
    {
        std::string sixteen;
        for (int i = 0; i < 16; ++i) sixteen += "," + PUB_C;
        CheckUnparsable("sh(multi(16" + sixteen + "))", "P2SH script is too large, 547 bytes is larger than 520 bytes");
    }
    CheckUnparsable("wsh(wpkh(" + PUB_C + "))", "Can only have wpkh() at top level or inside sh()");
    CheckUnparsable("sh(sh(pk(" + PUB_C + ")))", "Can only have sh() at top level");
    CheckUnparsable("wsh(wsh(pk(" + PUB_C + ")))", "Can only have wsh() at top level or inside sh()");
    CheckUnparsable("sh(combo(" + PUB_C + "))", "Can only have combo() at top level");
    CheckUnparsable("wsh(addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2))", "Can only have addr() at top level");
    CheckUnparsable("sh(raw(00))", "Can only have raw() at top level");
    CheckUnparsable("sh(tr(" + PUB_C + "))", "Can only have tr at top level");
    CheckUnparsable("multi_a(1," + PUB_C + ")", "Can only have multi_a/sortedmulti_a inside tr()");
    CheckUnparsable("tr(" + PUB_C + ",multi(1," + PUB_C + "))", "Can only have multi/sortedmulti at top level, in sh(), or in wsh()");
    CheckUnparsable("sh(" + PUB_C + ")", "A function is needed within P2SH");
    CheckUnparsable("wsh(" + PUB_C + ")", "A function is needed within P2WSH");
    CheckUnparsable("foo(" + PUB_C + ")", "'foo(" + PUB_C + ")' is not a valid descriptor function");
    CheckUnparsable("tr(" + PUB_C + ",{pk(" + PUB_C + ")})", "tr(): expected ',' after script expression");
    CheckUnparsable("tr(" + PUB_C + ",{pk(" + PUB_C + "),pk(" + PUB_C + "))", "tr(): expected '}' after script expression");
    CheckUnparsable("tr(" + PUB_C + ",pk(" + PUB_C + "),pk(" + PUB_C + "))", "tr(): expected ')' after script expression");
    CheckUnparsable("tr(" + WIF_U + ")", "tr(): Uncompressed keys are not allowed");
    CheckUnparsable("pkh( " + PUB_C + ")", "pkh(): Key ' " + PUB_C + "' is invalid due to whitespace");
}

BOOST_AUTO_TEST_CASE(multi_a_and_inferred)
{
    // multi_a: <k1> CHECKSIG <k2> CHECKSIGADD 1 NUMEQUAL in the one leaf.
    const std::string x1 = "a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd";
    const auto desc = ParseOne("tr(" + x1 + ",sortedmulti_a(1," + x1 + "," + PUB_C + "))");
    BOOST_TEST(desc->ToString() == AddDescriptorChecksum("tr(" + x1 + ",sortedmulti_a(1," + x1 + "," + PUB_C + "))"));
    std::vector<std::pair<Script, std::string>> out;
    BOOST_REQUIRE(desc->ExpandWithDescriptors(0, out));
    BOOST_REQUIRE_EQUAL(out.size(), 1U);
    BOOST_TEST(HexStr(out[0].first).substr(0, 4) == "5120");

    // scantxoutset's inferred descriptors: keys with their origins ('h' style).
    const auto hd = ParseOne("combo(tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B/1/1/*)",
                             ChainType::REGTEST);
    out.clear();
    BOOST_REQUIRE(hd->ExpandWithDescriptors(1500, out));
    BOOST_REQUIRE_EQUAL(out.size(), 4U);
    BOOST_TEST(out[1].second == "pkh([0c5f9a1e/1/1/1500]03832901c250025da2aebae2bfb38d5c703a57ab66ad477f9c578bfbcd78abca6f)#vchwd07g");
    out.clear();
    BOOST_REQUIRE(ParseOne("pkh(" + PUB_C + ")")->ExpandWithDescriptors(0, out));
    BOOST_TEST(out[0].second == AddDescriptorChecksum("pkh([9a1c78a5]" + PUB_C + ")"));
}

BOOST_AUTO_TEST_SUITE_END()
