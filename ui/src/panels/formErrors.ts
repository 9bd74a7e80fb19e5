import { createContext } from 'react';

/** Where the fields of a value form report their errors, keyed by field label. */
export type FormErrors = { report: (path: string, error: string | null) => void };

export const FormErrorsContext = createContext<FormErrors>({ report: () => {} });
