// Access to the shared test vectors (../shared/vectors beside the repo).
#ifndef CAIRN_TEST_UTIL_VECTORS_H
#define CAIRN_TEST_UTIL_VECTORS_H

#include <string>

#include "util/span.h"

namespace cairn::test {

/** Absolute path of the vectors folder: $CAIRN_VECTORS_DIR, else the
 *  ../shared/vectors that the build found beside the source tree. */
std::string VectorsDir();

/** Contents of a vector file, e.g. "core/script_tests.json". A missing or
 *  unreadable file throws, failing the test: a vector is never skipped. */
std::string ReadVectorFile(const std::string& relpath);

/** Contents of a bzip2-compressed vector file, decompressed with bzip2(1). */
Bytes ReadBzip2VectorFile(const std::string& relpath);

/** Prints "<file>: <n> cases" so the log shows how much of each file ran. */
void ReportCases(const std::string& file, size_t n);

} // namespace cairn::test

#endif
