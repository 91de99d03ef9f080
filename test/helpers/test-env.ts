/**
 * The bid window of every test gateway unless a test sets its own. Three test files share
 * two cores, and a test agent's bid can then miss the default 300 ms: that agent is never
 * executed and the test fails for the machine's load, not for the code. An auction closes
 * as soon as every bid is in, so only tests with a silent bidder wait the window out.
 */
export const TEST_BID_WINDOW_MS = '2000';
