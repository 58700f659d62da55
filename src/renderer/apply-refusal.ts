// What the "Apply to file" dialog says when the apply engine refuses an edit: the engine's codes in the user's words,
// and which ways forward make sense for each (the engine refuses rather than guesses; the user picks).

export type RefusalChoice = 'replace-whole' | 'open-file' | 'copy' | 'preview-again';

export interface RefusalText {
  title: string;
  detail: string;
  choices: RefusalChoice[];
}

export function explainRefusal(code: string, file: string, message: string): RefusalText {
  switch (code) {
    case 'suspect_truncated':
      return {
        title: 'This snippet could not be placed safely',
        detail:
          `The code is only part of ${file}, and Mira could not tell for certain where it goes: it does not match exactly one ` +
          `whole function or class in the file, and it has no "... existing code ..." markers around it. Nothing was changed.`,
        choices: ['replace-whole', 'open-file', 'copy'],
      };
    case 'no_match':
      return {
        title: 'The code to replace is not in the file',
        detail: `The lines this edit changes were not found in ${file}, even ignoring whitespace. The file may have changed, or the edit is for another file. The closest lines are listed below.`,
        choices: ['open-file', 'copy'],
      };
    case 'ambiguous':
      return {
        title: 'The edit fits more than one place',
        detail: `The lines this edit changes occur more than once in ${file}, so Mira did not pick one. The places are listed below.`,
        choices: ['open-file', 'copy'],
      };
    case 'path_mismatch':
      return { title: 'The edit is for another file', detail: `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}. Change the file above and preview again.`, choices: ['copy'] };
    case 'conflict':
      return { title: 'The file changed since the preview', detail: `${file} was modified after the diff was made. Preview again to see the change against the current file.`, choices: ['preview-again'] };
    case 'not_found':
      return { title: 'No such file', detail: `${file} does not exist in the project.`, choices: ['copy'] };
    default:
      return { title: 'The edit could not be applied', detail: `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}. Nothing was changed.`, choices: ['open-file', 'copy'] };
  }
}
