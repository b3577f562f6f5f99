#include "net/onion_name.h"

#include <cctype>
#include <cstring>

namespace cairn {

namespace {

constexpr uint64_t KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
/** Rotation of each lane visited by the rho-pi walk, and the walk's order. */
constexpr int KECCAK_ROT[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int KECCAK_PI[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t Rotl(uint64_t x, int n)
{
    return (x << n) | (x >> (64 - n));
}

void KeccakF1600(uint64_t st[25])
{
    for (int round = 0; round < 24; ++round) {
        uint64_t bc[5];
        // theta
        for (int i = 0; i < 5; ++i) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (int i = 0; i < 5; ++i) {
            const uint64_t t = bc[(i + 4) % 5] ^ Rotl(bc[(i + 1) % 5], 1);
            for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
        }
        // rho and pi
        uint64_t carry = st[1];
        for (int i = 0; i < 24; ++i) {
            const int j = KECCAK_PI[i];
            const uint64_t next = st[j];
            st[j] = Rotl(carry, KECCAK_ROT[i]);
            carry = next;
        }
        // chi
        for (int j = 0; j < 25; j += 5) {
            for (int i = 0; i < 5; ++i) bc[i] = st[j + i];
            for (int i = 0; i < 5; ++i) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        // iota
        st[0] ^= KECCAK_RC[round];
    }
}

void AbsorbBlock(uint64_t st[25], const uint8_t* block, size_t rate)
{
    for (size_t i = 0; i < rate / 8; ++i) {
        uint64_t lane = 0;
        for (int b = 7; b >= 0; --b) lane = (lane << 8) | block[i * 8 + size_t(b)]; // little-endian lanes
        st[i] ^= lane;
    }
    KeccakF1600(st);
}

constexpr char BASE32[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view ONION_SUFFIX = ".onion";
constexpr uint8_t ONION_VERSION = 3;

std::array<uint8_t, 2> OnionChecksum(ByteSpan pubkey)
{
    static constexpr std::string_view PREFIX = ".onion checksum";
    Bytes msg(PREFIX.begin(), PREFIX.end());
    msg.insert(msg.end(), pubkey.begin(), pubkey.end());
    msg.push_back(ONION_VERSION);
    const auto h = Sha3_256(msg);
    return {h[0], h[1]};
}

} // namespace

std::array<uint8_t, 32> Sha3_256(ByteSpan data)
{
    constexpr size_t RATE = 136; // (1600 - 2 * 256) / 8
    uint64_t st[25] = {};
    size_t off = 0;
    for (; data.size() - off >= RATE; off += RATE) AbsorbBlock(st, data.data() + off, RATE);
    uint8_t last[RATE] = {};
    // An empty input has no data pointer to copy from (memcpy's arguments must not be null).
    if (data.size() > off) std::memcpy(last, data.data() + off, data.size() - off);
    last[data.size() - off] ^= 0x06; // SHA-3 domain bits and the first padding bit
    last[RATE - 1] ^= 0x80;
    AbsorbBlock(st, last, RATE);
    std::array<uint8_t, 32> out;
    for (size_t i = 0; i < 32; ++i) out[i] = uint8_t(st[i / 8] >> (8 * (i % 8)));
    return out;
}

std::string EncodeBase32(ByteSpan data)
{
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : data) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += BASE32[(acc >> bits) & 31];
        }
    }
    if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
    return out;
}

std::optional<Bytes> DecodeBase32(std::string_view text)
{
    Bytes raw;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v;
        if (c >= 'a' && c <= 'z') {
            v = c - 'a';
        } else if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= '2' && c <= '7') {
            v = 26 + (c - '2');
        } else {
            return std::nullopt;
        }
        acc = (acc << 5) | uint32_t(v);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            raw.push_back(uint8_t(acc >> bits));
        }
    }
    if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return raw;
}

std::string EncodeOnionName(ByteSpan pubkey)
{
    if (pubkey.size() != 32) return {};
    Bytes raw(pubkey.begin(), pubkey.end());
    const auto sum = OnionChecksum(pubkey);
    raw.insert(raw.end(), sum.begin(), sum.end());
    raw.push_back(ONION_VERSION);
    // 35 bytes = 280 bits = 56 base32 digits, no padding.
    return EncodeBase32(raw) + std::string(ONION_SUFFIX);
}

std::optional<std::array<uint8_t, 32>> DecodeOnionName(std::string_view name)
{
    if (name.size() != 56 + ONION_SUFFIX.size() || !name.ends_with(ONION_SUFFIX)) return std::nullopt;
    const std::optional<Bytes> raw = DecodeBase32(name.substr(0, 56));
    if (!raw || raw->size() != 35 || (*raw)[34] != ONION_VERSION) return std::nullopt;
    const ByteSpan pubkey(raw->data(), 32);
    const auto sum = OnionChecksum(pubkey);
    if ((*raw)[32] != sum[0] || (*raw)[33] != sum[1]) return std::nullopt;
    std::array<uint8_t, 32> out;
    std::memcpy(out.data(), raw->data(), 32);
    return out;
}

std::string EncodeI2pName(ByteSpan hash)
{
    if (hash.size() != 32) return {};
    return EncodeBase32(hash) + ".b32.i2p";
}

std::optional<std::array<uint8_t, 32>> DecodeI2pName(std::string_view name)
{
    // 32 bytes = 52 base32 digits (4 spare bits, zero).
    constexpr std::string_view SUFFIX = ".b32.i2p";
    if (name.size() != 52 + SUFFIX.size()) return std::nullopt;
    std::string suffix(name.substr(52));
    for (char& c : suffix) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (suffix != SUFFIX) return std::nullopt;
    const std::optional<Bytes> raw = DecodeBase32(name.substr(0, 52));
    if (!raw || raw->size() != 32) return std::nullopt;
    std::array<uint8_t, 32> out;
    std::memcpy(out.data(), raw->data(), 32);
    return out;
}

} // namespace cairn
