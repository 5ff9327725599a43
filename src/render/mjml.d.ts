/** mjml 5 ships no type declarations; this covers the part the renderer uses. */
declare module 'mjml' {
  export interface MjmlValidationError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    minify?: boolean;
    beautify?: boolean;
    keepComments?: boolean;
    fonts?: Record<string, string>;
    filePath?: string;
    minifyOptions?: Record<string, unknown>;
  }
  export interface MjmlResult {
    html: string;
    errors: MjmlValidationError[];
  }
  export default function mjml2html(mjml: string, options?: MjmlOptions): Promise<MjmlResult>;
}
