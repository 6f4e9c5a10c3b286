import path from 'node:path';
import { REPOSITORY_ROOT } from './infrastructure';

/**
 * A form that exists only as JSON in the tests' fixtures (`fixture-monthly`: revenue, its 其中 technology
 * income, employees). Services started with FORM_CATALOG_EXTRA_DIR set to this directory know it, as an
 * operator's added form would be known.
 */
export const FIXTURE_FORMS_DIR = path.join(REPOSITORY_ROOT, 'libs', 'testing', 'fixtures', 'forms');
export const FIXTURE_FORM_ID = 'fixture-monthly';
