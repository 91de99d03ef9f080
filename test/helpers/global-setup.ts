/** Says once, up front, which database and Redis the suite runs against. */
export default function setup(): void {
  const db = process.env.TEST_DATABASE_URL ? `PostgreSQL (${redact(process.env.TEST_DATABASE_URL)})` : 'embedded PGlite';
  const redis = process.env.TEST_REDIS_URL ? `Redis (${redact(process.env.TEST_REDIS_URL)})` : 'none: Redis tests are skipped';
  console.log(`[gavel tests] database: ${db}; redis: ${redis}`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
