/** Per-subscriber values filled into `%%{token}%%` placeholders after rendering. */
export interface PersonalTokens {
  name: string;
  /** The stored first name; empty or absent: the first word of `name`. */
  first_name?: string;
  email: string;
  unsubscribe_url: string;
  preferences_url: string;
  view_url: string;
}

export interface RenderedSegment {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Articles cut to keep the HTML under the size budget. */
  droppedArticleIds: string[];
  /** What `%%{name}%%` becomes for a subscriber without a name (locale string, e.g. "there"). */
  nameFallback?: string;
}
