import { parseLooseDate } from '../src/ingest/page/parse-loose-date.ts';
for (const s of ['2015-07-24T05:36:09+01:00','2015-07-24','2015-07-24 10:00','12 March 2019','March 12, 2019, 10:30 GMT','Published: 12.03.2019 14:05','12 марта 2019 г., 14:05','Tue, 12 Mar 2019 10:30:00 +0000','Updated 3:45 pm EST, Wed March 4, 2020','12. März 2019, 14:05 Uhr','Le 12 mars 2019 à 14h05','Russia invites US 12 March 2019', '31 February 2019', 'Thursday 24 July 2015 07.01 BST', '1700000000', '03/04/2019','May'])
  console.log(JSON.stringify(s), '→', parseLooseDate(s));
