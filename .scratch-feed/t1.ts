import iconv from 'iconv-lite';
import chardet from 'chardet';
for (const e of ['windows1252','cp932','big5hkscs','cp949','gb18030','koi8r','iso88592','iso88595','utf32le','utf32be','utf16be','windows1251','shiftjis','eucjp']) console.log(e, iconv.encodingExists(e));
const ru = 'Новости о безопасности: правительство объявило новые меры по защите данных граждан. Эксперты считают, что это важный шаг.';
console.log(chardet.analyse(iconv.encode(ru,'windows1251')).slice(0,4));
console.log(chardet.detect(iconv.encode(ru,'koi8r')));
