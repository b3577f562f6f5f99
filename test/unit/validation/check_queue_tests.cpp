// The script-check pool: every check runs exactly once, the first failure is
// reported, and rounds are independent.
#include "validation/check_queue.h"

#include <boost/test/unit_test.hpp>

#include <atomic>

using namespace cairn;

namespace {

struct CountingCheck {
    std::atomic<int>* counter;
    bool fail{false};
    std::optional<int> operator()()
    {
        counter->fetch_add(1, std::memory_order_relaxed);
        return fail ? std::optional<int>(7) : std::nullopt;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(check_queue_tests)

BOOST_AUTO_TEST_CASE(all_checks_run_once)
{
    for (int threads : {0, 1, 3}) {
        CheckQueue<CountingCheck, int> queue(16, threads);
        for (size_t total : {0, 1, 15, 16, 17, 1000, 10007}) {
            std::atomic<int> counter{0};
            CheckQueueControl<CountingCheck, int> control(&queue);
            std::vector<CountingCheck> checks;
            for (size_t i = 0; i < total; ++i) {
                checks.push_back({&counter});
                if (checks.size() == 97) control.Add(std::move(checks)), checks.clear();
            }
            control.Add(std::move(checks));
            BOOST_CHECK(!control.Complete());
            BOOST_CHECK_EQUAL(counter.load(), int(total));
        }
    }
}

BOOST_AUTO_TEST_CASE(failure_is_reported_and_does_not_leak_into_next_round)
{
    CheckQueue<CountingCheck, int> queue(8, 2);
    for (int round = 0; round < 50; ++round) {
        std::atomic<int> counter{0};
        CheckQueueControl<CountingCheck, int> control(&queue);
        std::vector<CountingCheck> checks(500, CountingCheck{&counter});
        checks[round * 7 % 500].fail = true;
        control.Add(std::move(checks));
        auto result = control.Complete();
        BOOST_REQUIRE(result);
        BOOST_CHECK_EQUAL(*result, 7);
        BOOST_CHECK_LE(counter.load(), 500);

        CheckQueueControl<CountingCheck, int> clean(&queue);
        clean.Add(std::vector<CountingCheck>(100, CountingCheck{&counter}));
        BOOST_CHECK(!clean.Complete());
    }
}

BOOST_AUTO_TEST_CASE(without_a_queue_checks_run_inline)
{
    std::atomic<int> counter{0};
    CheckQueueControl<CountingCheck, int> control(nullptr);
    control.Add(std::vector<CountingCheck>(10, CountingCheck{&counter}));
    BOOST_CHECK_EQUAL(counter.load(), 10);
    std::vector<CountingCheck> bad(3, CountingCheck{&counter, true});
    control.Add(std::move(bad));
    BOOST_CHECK_EQUAL(*control.Complete(), 7);
    BOOST_CHECK_EQUAL(counter.load(), 11); // stops at the first failure
}

BOOST_AUTO_TEST_SUITE_END()
