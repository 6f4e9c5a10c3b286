/** A problem found in an identifier, with a stable code and a fix hint in both languages. */
export interface IdentifierIssue {
  code: string;
  messageZh: string;
  messageEn: string;
}
