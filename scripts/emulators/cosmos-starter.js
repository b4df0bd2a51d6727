// TEST FIXTURE, not a Cosmos DB: starts @vercel/cosmosdb-server for the cosmos contract tests, with the three
// gaps the Java SDK (gateway mode) trips over filled in. See docs/cloudstores.md for what it cannot prove.
//   1. TLS with our own localhost certificate (the bundled one expired in 2021); scripts/services makes it.
//   2. Query-plan requests (x-ms-cosmos-is-query-plan-request) get a pass-through plan: run the query as written
//      on the full key range. Our adapter only issues single-partition queries, so that is what Cosmos would do.
//   3. The account answer lacks fields the Java SDK 4.7x reads unconditionally (enableNRegionSynchronousCommit):
//      they are added with the values of a single-region account.
//   4. The server ignores the partition key of a query: results are filtered by the x-ms-documentdb-partitionkey
//      header (partition key path /pk), and a read of a missing document answers 404, not 500.
// Usage: node cosmos-starter.js --port 8081 --cert cert.pem --key key.pem
'use strict';
const fs = require('fs');
const https = require('https');
const { createHttpServer } = require('@vercel/cosmosdb-server');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const port = parseInt(args.port || '8081', 10);
const host = args.host || '127.0.0.1';

// The inner server never listens: it only handles the requests we hand it, and believes it is reachable at
// https://localhost:<port>/, which is what it advertises as the account's endpoint.
const inner = createHttpServer();
inner.address = () => ({ address: 'localhost', family: 'IPv4', port });
inner.emit('listening');

const PLAN = {
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: 'None', top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [],
    groupByExpressions: [], groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {},
    rewrittenQuery: '', hasSelectValue: false, dCountInfo: null,
  },
  queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
};

const isTrue = (v) => String(v).toLowerCase() === 'true';
const DOC = /^\/+dbs\/[^/]+\/colls\/[^/]+\/docs\/[^/]+\/?$/;

function handle(req, res) {
  if (req.method === 'POST' && isTrue(req.headers['x-ms-cosmos-is-query-plan-request'])) {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'x-ms-request-charge': '0' });
    res.end(JSON.stringify(PLAN));
    return;
  }
  const isQuery = req.method === 'POST' && (isTrue(req.headers['x-ms-documentdb-isquery'])
    || req.headers['content-type'] === 'application/query+json');
  const pkHeader = req.headers['x-ms-documentdb-partitionkey'];
  const end = res.end.bind(res);
  res.end = (body, ...rest) => {
    const path = (req.url || '').split('?')[0];
    if (req.method === 'GET' && DOC.test(path) && res.statusCode === 500) {
      res.statusCode = 404;
      return end(JSON.stringify({ code: 'NotFound', message: 'Entity with the specified id does not exist' }));
    }
    if (req.method === 'GET' && /^\/*$/.test(path) && res.statusCode === 200 && typeof body === 'string') {
      const account = JSON.parse(body);
      account.enableNRegionSynchronousCommit = false;
      account.enableMultipleWriteLocations = false;
      return end(JSON.stringify(account), ...rest);
    }
    if (isQuery && pkHeader && pkHeader !== '[{}]' && res.statusCode === 200 && typeof body === 'string') {
      try {
        const key = JSON.parse(pkHeader)[0];
        const page = JSON.parse(body);
        if (Array.isArray(page.Documents)) {
          // Projections without pk cannot be told apart: they pass (our adapter's queries also name pk in their text).
          page.Documents = page.Documents.filter((d) => d === null || typeof d !== 'object' || !('pk' in d) || d.pk === key);
          page._count = page.Documents.length;
          res.setHeader('x-ms-item-count', String(page._count));
          return end(JSON.stringify(page), ...rest);
        }
      } catch (e) {
        // Not a JSON page: pass it on unchanged.
      }
    }
    return end(body, ...rest);
  };
  inner.emit('request', req, res);
}

https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }, handle)
  .listen(port, host, () => console.log(`cosmos test emulator listening on https://localhost:${port}/ (${host})`));
