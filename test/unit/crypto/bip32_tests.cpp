// Tests for crypto/bip32.h and its text form (script/extkey.h): BIP 32's
// test vectors 1-3 (derivation from a seed, private and public paths,
// serialization) and vector 5 (keys every decoder must reject), written
// out here, and every case of the shared bips/bip32-test-vectors.json
// (vectors 1-4 valid, 5 invalid).
#include "crypto/bip32.h"
#include "script/extkey.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <string>
#include <vector>

using namespace cairn;

namespace {

struct Step {
    uint32_t index; // child index that leads to this key (unused for the master)
    std::string xpub;
    std::string xprv;
};

struct Vector {
    std::string seed;
    std::vector<Step> steps; // steps[0] is the master key
};

constexpr uint32_t H = BIP32_HARDENED;

const std::vector<Vector> VECTORS = {
    {"000102030405060708090a0b0c0d0e0f",
     {
         {0, "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
          "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"},
         {0 | H, "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
          "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7"},
         {1, "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
          "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs"},
         {2 | H, "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
          "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM"},
         {2, "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
          "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334"},
         {1000000000, "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
          "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76"},
     }},
    {"fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542",
     {
         {0, "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
          "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U"},
         {0, "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
          "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt"},
         {2147483647 | H, "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMBU4Zn9h8LZNnBC5y4a",
          "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9"},
         {1, "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wTfunKau47EL2dhHKon",
          "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef"},
         {2147483646 | H, "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL",
          "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc"},
         {2, "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt",
          "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j"},
     }},
    {"4b381541583be4423346c643850da4b320e46a87ae3d2a4e6da11eba819cd4acba45d239319ac14f863b8d5ab5a0d0c64d2e8a1e7d1457df2e5a3c51c73235be",
     {
         {0, "xpub661MyMwAqRbcEZVB4dScxMAdx6d4nFc9nvyvH3v4gJL378CSRZiYmhRoP7mBy6gSPSCYk6SzXPTf3ND1cZAceL7SfJ1Z3GC8vBgp2epUt13",
          "xprv9s21ZrQH143K25QhxbucbDDuQ4naNntJRi4KUfWT7xo4EKsHt2QJDu7KXp1A3u7Bi1j8ph3EGsZ9Xvz9dGuVrtHHs7pXeTzjuxBrCmmhgC6"},
         {0 | H, "xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y",
          "xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L"},
     }},
};

/** "m/0h/1/2h": the child indexes after the master ("h" or "'" = hardened). */
std::vector<uint32_t> ParsePath(const std::string& path)
{
    std::vector<uint32_t> out;
    BOOST_REQUIRE(path.rfind("m", 0) == 0);
    size_t pos = 1;
    while (pos < path.size()) {
        BOOST_REQUIRE_EQUAL(path[pos], '/');
        size_t end = path.find('/', pos + 1);
        if (end == std::string::npos) end = path.size();
        std::string item = path.substr(pos + 1, end - pos - 1);
        uint32_t hardened = 0;
        if (!item.empty() && (item.back() == 'h' || item.back() == '\'')) {
            hardened = BIP32_HARDENED;
            item.pop_back();
        }
        out.push_back(uint32_t(std::stoul(item)) | hardened);
        pos = end;
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(bip32_tests)

BOOST_AUTO_TEST_CASE(bip32_vectors_1_to_3)
{
    for (const Vector& v : VECTORS) {
        ExtKey key;
        key.SetSeed(ParseHex(v.seed));
        ExtPubKey pub = key.Neuter();
        for (size_t i = 0; i < v.steps.size(); ++i) {
            const Step& step = v.steps[i];
            if (i > 0) {
                ExtKey child;
                BOOST_REQUIRE(key.Derive(child, step.index));
                // A non-hardened child is also reachable from the public parent.
                if (step.index < BIP32_HARDENED) {
                    ExtPubKey pub_child;
                    BOOST_REQUIRE(pub.Derive(pub_child, step.index));
                    BOOST_TEST((pub_child == child.Neuter()));
                } else {
                    ExtPubKey unused;
                    BOOST_TEST(!pub.Derive(unused, step.index));
                }
                BOOST_TEST((child.parent_fingerprint == key.Fingerprint()));
                key = child;
                pub = key.Neuter();
            }
            BOOST_TEST(EncodeExtKey(key, ChainType::MAIN) == step.xprv);
            BOOST_TEST(EncodeExtPubKey(pub, ChainType::MAIN) == step.xpub);

            // Decoding gives back the same key, and re-encodes identically.
            const auto dec_prv = DecodeExtKey(step.xprv, ChainType::MAIN);
            BOOST_REQUIRE(dec_prv);
            BOOST_TEST(EncodeExtKey(*dec_prv, ChainType::MAIN) == step.xprv);
            BOOST_TEST((dec_prv->Neuter() == pub));
            const auto dec_pub = DecodeExtPubKey(step.xpub, ChainType::MAIN);
            BOOST_REQUIRE(dec_pub);
            BOOST_TEST((*dec_pub == pub));

            // The other kind, or another network, does not decode.
            BOOST_TEST(!DecodeExtKey(step.xpub, ChainType::MAIN));
            BOOST_TEST(!DecodeExtPubKey(step.xprv, ChainType::MAIN));
            BOOST_TEST(!DecodeExtPubKey(step.xpub, ChainType::TESTNET));
            BOOST_TEST(!DecodeExtKey(step.xprv, ChainType::REGTEST));
        }
    }
}

BOOST_AUTO_TEST_CASE(testnet_prefixes)
{
    ExtKey key;
    key.SetSeed(ParseHex("000102030405060708090a0b0c0d0e0f"));
    const std::string tprv = EncodeExtKey(key, ChainType::TESTNET);
    const std::string tpub = EncodeExtPubKey(key.Neuter(), ChainType::REGTEST);
    BOOST_TEST(tprv.substr(0, 4) == "tprv");
    BOOST_TEST(tpub.substr(0, 4) == "tpub");
    // tpub8ZgxMBicQKsPd... is the well-known testnet form of vector 1's master.
    BOOST_TEST(tpub == "tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp");
    BOOST_TEST(DecodeExtKey(tprv, ChainType::SIGNET).has_value());
}

BOOST_AUTO_TEST_CASE(bip32_vector_5_invalid)
{
    const std::vector<std::string> invalid = {
        // pubkey version / prvkey mismatch
        "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6LBpB85b3D2yc8sfvZU521AAwdZafEz7mnzBBsz4wKY5fTtTQBm",
        // prvkey version / pubkey mismatch
        "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGTQQD3dC4H2D5GBj7vWvSQaaBv5cxi9gafk7NF3pnBju6dwKvH",
        // invalid pubkey prefix 04
        "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Txnt3siSujt9RCVYsx4qHZGc62TG4McvMGcAUjeuwZdduYEvFn",
        // invalid prvkey prefix 04
        "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGpWnsj83BHtEy5Zt8CcDr1UiRXuWCmTQLxEK9vbz5gPstX92JQ",
        // invalid pubkey prefix 01
        "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6N8ZMMXctdiCjxTNq964yKkwrkBJJwpzZS4HS2fxvyYUA4q2Xe4",
        // invalid prvkey prefix 01
        "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD9y5gkZ6Eq3Rjuahrv17fEQ3Qen6J",
        // zero depth with non-zero parent fingerprint
        "xprv9s2SPatNQ9Vc6GTbVMFPFo7jsaZySyzk7L8n2uqKXJen3KUmvQNTuLh3fhZMBoG3G4ZW1N2kZuHEPY53qmbZzCHshoQnNf4GvELZfqTUrcv",
        "xpub661no6RGEX3uJkY4bNnPcw4URcQTrSibUZ4NqJEw5eBkv7ovTwgiT91XX27VbEXGENhYRCf7hyEbWrR3FewATdCEebj6znwMfQkhRYHRLpJ",
        // zero depth with non-zero index
        "xprv9s21ZrQH4r4TsiLvyLXqM9P7k1K3EYhA1kkD6xuquB5i39AU8KF42acDyL3qsDbU9NmZn6MsGSUYZEsuoePmjzsB3eFKSUEh3Gu1N3cqVUN",
        "xpub661MyMwAuDcm6CRQ5N4qiHKrJ39Xe1R1NyfouMKTTWcguwVcfrZJaNvhpebzGerh7gucBvzEQWRugZDuDXjNDRmXzSZe4c7mnTK97pTvGS8",
        // unknown extended key version
        "DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHGMQzT7ayAmfo4z3gY5KfbrZWZ6St24UVf2Qgo6oujFktLHdHY4",
        "DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHPmHJiEDXkTiJTVV9rHEBUem2mwVbbNfvT2MTcAqj3nesx8uBf9",
        // private key 0 not in 1..n-1
        "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzF93Y5wvzdUayhgkkFoicQZcP3y52uPPxFnfoLZB21Teqt1VvEHx",
        // private key n not in 1..n-1
        "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD5SDKr24z3aiUvKr9bJpdrcLg1y3G",
        // invalid pubkey 020000000000000000000000000000000000000000000000000000000000000007
        "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Q5JXayek4PRsn35jii4veMimro1xefsM58PgBMrvdYre8QyULY",
        // invalid checksum
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHL",
    };
    for (const std::string& s : invalid) {
        BOOST_TEST(!DecodeExtKey(s, ChainType::MAIN), s);
        BOOST_TEST(!DecodeExtPubKey(s, ChainType::MAIN), s);
    }
}

BOOST_AUTO_TEST_CASE(bip32_shared_vector_file)
{
    UniValue file;
    BOOST_REQUIRE(file.read(test::ReadVectorFile("bips/bip32-test-vectors.json")));
    size_t cases = 0;
    for (const UniValue& v : file["valid"].getValues()) {
        ExtKey master;
        master.SetSeed(ParseHex(v["seed"].get_str()));
        for (const UniValue& chain : v["chains"].getValues()) {
            const std::string& path = chain["path"].get_str();
            ExtKey key = master;
            for (uint32_t index : ParsePath(path)) {
                ExtKey child;
                BOOST_REQUIRE(key.Derive(child, index));
                key = child;
            }
            BOOST_TEST(EncodeExtKey(key, ChainType::MAIN) == chain["xprv"].get_str(), path);
            BOOST_TEST(EncodeExtPubKey(key.Neuter(), ChainType::MAIN) == chain["xpub"].get_str(), path);
            const auto dec = DecodeExtKey(chain["xprv"].get_str(), ChainType::MAIN);
            BOOST_REQUIRE(dec);
            BOOST_TEST(EncodeExtKey(*dec, ChainType::MAIN) == chain["xprv"].get_str());
            ++cases;
        }
    }
    for (const UniValue& bad : file["invalid"].getValues()) {
        const std::string& key = bad["key"].get_str();
        BOOST_TEST(!DecodeExtKey(key, ChainType::MAIN), bad["reason"].get_str());
        BOOST_TEST(!DecodeExtPubKey(key, ChainType::MAIN), bad["reason"].get_str());
        ++cases;
    }
    BOOST_CHECK_EQUAL(file["valid"].size(), 4U); // vector 4: a leading-zero private key
    test::ReportCases("bips/bip32-test-vectors.json", cases);
}

BOOST_AUTO_TEST_SUITE_END()
