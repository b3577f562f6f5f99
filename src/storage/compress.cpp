#include "storage/compress.h"

#include "crypto/pubkey.h"

#include <algorithm>
#include <limits>

namespace cairn {

uint64_t CompressAmount(uint64_t n)
{
    if (n == 0) return 0;
    unsigned e = 0;
    while (n % 10 == 0 && e < 9) {
        n /= 10;
        ++e;
    }
    if (e < 9) {
        // The last digit d is 1..9 (not 0, or it would have been stripped):
        // fold it in base 9 so no code is wasted on a trailing zero.
        uint64_t d = n % 10;
        n /= 10;
        return 1 + (n * 9 + d - 1) * 10 + e;
    }
    return 1 + (n - 1) * 10 + 9;
}

uint64_t DecompressAmount(uint64_t x)
{
    if (x == 0) return 0;
    --x;
    unsigned e = unsigned(x % 10);
    x /= 10;
    uint64_t n;
    if (e < 9) {
        uint64_t d = x % 9 + 1;
        x /= 9;
        n = x * 10 + d;
    } else {
        n = x + 1;
    }
    while (e--) n *= 10;
    return n;
}

namespace {

bool IsP2PKH(const Script& s)
{
    return s.size() == 25 && s[0] == OP_DUP && s[1] == OP_HASH160 && s[2] == 20 && s[23] == OP_EQUALVERIFY &&
           s[24] == OP_CHECKSIG;
}

bool IsP2SH(const Script& s)
{
    return s.size() == 23 && s[0] == OP_HASH160 && s[1] == 20 && s[22] == OP_EQUAL;
}

/** A push of a 33-byte compressed key then OP_CHECKSIG. The key need not be
 *  on the curve: it is stored as it is, so the script always round-trips. */
bool IsP2PKCompressed(const Script& s)
{
    return s.size() == 35 && s[0] == 33 && s[34] == OP_CHECKSIG && (s[1] == 0x02 || s[1] == 0x03);
}

/** A push of a 65-byte uncompressed key then OP_CHECKSIG, where the key is a
 *  point on the curve: only then can Y be recomputed from X and its parity. */
bool IsP2PKUncompressed(const Script& s)
{
    if (s.size() != 67 || s[0] != 65 || s[66] != OP_CHECKSIG || s[1] != 0x04) return false;
    return PubKey(ByteSpan{s.data() + 1, 65}).IsFullyValid();
}

} // namespace

std::optional<Bytes> CompressScript(const Script& s)
{
    if (IsP2PKH(s)) {
        Bytes out{0x00};
        out.insert(out.end(), s.begin() + 3, s.begin() + 23);
        return out;
    }
    if (IsP2SH(s)) {
        Bytes out{0x01};
        out.insert(out.end(), s.begin() + 2, s.begin() + 22);
        return out;
    }
    if (IsP2PKCompressed(s)) {
        return Bytes(s.begin() + 1, s.begin() + 34); // prefix 02/03 is the form code
    }
    if (IsP2PKUncompressed(s)) {
        Bytes out{uint8_t(0x04 | (s[65] & 0x01))}; // s[65] is the last byte of Y
        out.insert(out.end(), s.begin() + 2, s.begin() + 34);
        return out;
    }
    return std::nullopt;
}

Script DecompressScript(unsigned form, ByteSpan payload)
{
    if (form >= SPECIAL_SCRIPT_FORMS || payload.size() != SpecialScriptSize(form)) {
        throw DeserializeError("DecompressScript(): bad special script form");
    }
    Script s;
    Bytes& b = s.bytes();
    switch (form) {
    case 0:
        b = {OP_DUP, OP_HASH160, 20};
        b.insert(b.end(), payload.begin(), payload.end());
        b.push_back(OP_EQUALVERIFY);
        b.push_back(OP_CHECKSIG);
        break;
    case 1:
        b = {OP_HASH160, 20};
        b.insert(b.end(), payload.begin(), payload.end());
        b.push_back(OP_EQUAL);
        break;
    case 2:
    case 3:
        b = {33, uint8_t(form)};
        b.insert(b.end(), payload.begin(), payload.end());
        b.push_back(OP_CHECKSIG);
        break;
    default: { // 4, 5: the parity of Y is form - 4
        uint8_t compressed[PubKey::COMPRESSED_SIZE];
        compressed[0] = uint8_t(form - 2);
        std::copy(payload.begin(), payload.end(), compressed + 1);
        PubKey key{ByteSpan{compressed}};
        if (!key.Decompress()) {
            throw DeserializeError("DecompressScript(): stored public key is not on the curve");
        }
        b = {65};
        b.insert(b.end(), key.begin(), key.end());
        b.push_back(OP_CHECKSIG);
        break;
    }
    }
    return s;
}

Script DeserializeCompressedScript(Reader& r)
{
    uint64_t code = ReadVarInt<uint64_t>(r);
    if (code < SPECIAL_SCRIPT_FORMS) {
        unsigned form = unsigned(code);
        return DecompressScript(form, r.ReadBytes(SpecialScriptSize(form)));
    }
    uint64_t len = code - SPECIAL_SCRIPT_FORMS;
    if (len > r.remaining()) throw DeserializeError("DeserializeCompressedScript(): script runs past the end");
    return Script(r.ReadBytes(size_t(len)));
}

TxOut DeserializeCompressedTxOut(Reader& r)
{
    TxOut out;
    uint64_t value = DecompressAmount(ReadVarInt<uint64_t>(r));
    // Only corrupt data decodes to an amount that does not fit; refuse it
    // rather than let it wrap to a negative value (-1 would read as "spent").
    if (value > uint64_t(std::numeric_limits<Amount>::max())) {
        throw DeserializeError("DeserializeCompressedTxOut(): amount out of range");
    }
    out.value = Amount(value);
    out.script_pubkey = DeserializeCompressedScript(r);
    return out;
}

Coin DeserializeCoin(Reader& r)
{
    uint32_t code = ReadVarInt<uint32_t>(r);
    Coin coin;
    coin.height = code >> 1;
    coin.coinbase = code & 1;
    coin.out = DeserializeCompressedTxOut(r);
    return coin;
}

} // namespace cairn
