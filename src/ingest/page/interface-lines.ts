/**
 * Recognizes a website's interface text in a page saved as plain text: rating and
 * comment prompts, share/print/subscribe buttons, "read more" teasers, copyright and
 * typo-report notices, in the languages the sources are likely to be in. Lines are
 * compared after lower-casing and dropping punctuation, symbols and counts, so
 * "Comments (12)", "Share ›" and "★ Rate it" all match.
 */
const EXACT = new Set(
  [
    // English
    'rate it', 'rate this', 'rate this article', 'rate this story', 'rating', 'your rating', 'add comment',
    'add a comment', 'comment', 'comments', 'leave a comment', 'post a comment', 'post comment', 'show comments',
    'view comments', 'no comments', 'share', 'share this', 'share this article', 'share this story', 'share article',
    'tweet', 'email', 'e-mail', 'print', 'print this', 'print this article', 'print version', 'subscribe',
    'subscribe now', 'read more', 'read also', 'see also', 'also read', 'related', 'related articles',
    'related stories', 'related news', 'more news', 'more stories', 'latest news', 'top stories', 'advertisement',
    'advertising', 'sponsored', 'continue reading', 'follow us', 'skip to content', 'skip to main content',
    'menu', 'home', 'back to top', 'log in', 'login', 'sign in', 'register', 'sign up', 'like', 'reply',
    'facebook', 'twitter', 'whatsapp', 'telegram', 'linkedin', 'reddit', 'vk', 'copy link', 'copied',
    'report a typo', 'report an error', 'found a typo', 'bookmark', 'save', 'listen', 'listen to this article',
    'most read', 'most popular', 'trending', 'recommended', 'you may also like', 'all news', 'next article',
    'previous article', 'next', 'previous', 'close', 'loading', 'cookie settings', 'accept cookies',
    // Russian
    'оценить', 'оцените', 'оценить статью', 'оцените статью', 'рейтинг', 'добавить комментарий', 'комментарии',
    'комментарий', 'комментировать', 'оставить комментарий', 'поделиться', 'поделиться в соцсетях', 'распечатать',
    'печать', 'версия для печати', 'подписаться', 'подпишитесь', 'подписывайтесь', 'читать далее', 'читать еще',
    'читать ещё', 'читайте также', 'читать также', 'смотрите также', 'см также', 'по теме', 'реклама',
    'новости партнеров', 'новости партнёров', 'главное', 'все новости', 'сообщить об ошибке',
    'сообщите об орфографической ошибке', 'выделенный текст слишком длинный', 'нашли ошибку',
    'нашли опечатку', 'закрыть', 'войти', 'регистрация', 'меню', 'наверх', 'ответить', 'нравится',
    // German
    'kommentieren', 'kommentar schreiben', 'kommentare', 'teilen', 'artikel teilen', 'drucken', 'weiterlesen',
    'mehr lesen', 'mehr zum thema', 'abonnieren', 'newsletter abonnieren', 'anzeige', 'werbung', 'lesen sie auch',
    'das könnte sie auch interessieren', 'zum artikel', 'anmelden', 'merken', 'bewerten', 'artikel bewerten',
    // French
    'partager', 'partager cet article', 'imprimer', 'commenter', 'commentaires', 'ajouter un commentaire',
    'lire aussi', 'lire la suite', 'à lire aussi', 'voir aussi', "s'abonner", 'abonnez-vous', 'publicité',
    'noter cet article', 'se connecter', 'sur le même sujet',
    // Spanish, Italian, Portuguese
    'compartir', 'imprimir', 'comentar', 'comentarios', 'añadir comentario', 'leer más', 'lee también',
    'suscríbete', 'publicidad', 'condividi', 'stampa', 'commenta', 'leggi anche', 'pubblicità', 'partilhar',
    'comentários', 'leia também', 'leia mais', 'assine',
  ].map(normalizePhrase),
);

/** Starts of short lines that are buttons or teasers, whatever follows them. */
const PREFIXES = [
  'share on', 'share via', 'share to', 'follow us', 'follow on', 'subscribe to', 'sign up for', 'sign up to',
  'read more', 'read also', 'also read', 'see also', 'click here',
  'download our app', 'join our', 'get our newsletter', 'rate this', 'add comment', 'all rights reserved',
  'поделиться', 'подписывайтесь', 'подпишитесь', 'подписаться на', 'читайте также', 'читайте нас', 'читать также',
  'читайте новости', 'смотрите также', 'мы в соцсетях', 'все права защищены',
  'teilen auf', 'folgen sie', 'lesen sie auch', 'mehr zum thema', 'alle rechte vorbehalten',
  'partager sur', 'suivez-nous', 'lire aussi', 'à lire aussi', 'tous droits réservés',
  'compartir en', 'síguenos', 'lee también', 'leggi anche', 'seguici', 'leia também',
].map(normalizePhrase);

export function normalizePhrase(line: string): string {
  return line
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{N}\s]+/gu, (match) => (/['’]/.test(match) && !/\s/.test(match) ? "'" : ' '))
    .trim();
}

/** A short line that only a site's interface would print. */
export function isInterfaceLine(line: string): boolean {
  if (line.length > 160) return false;
  const phrase = normalizePhrase(line);
  if (!phrase) return line.length <= 40; // counters, arrows, star ratings: no letters at all
  if (EXACT.has(phrase)) return true;
  if (/^(©|\(c\)|copyright\b)/i.test(line.trim())) return true;
  if (line.length > 100) return false;
  return PREFIXES.some((prefix) => phrase === prefix || phrase.startsWith(`${prefix} `));
}
