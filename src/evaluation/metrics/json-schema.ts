import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/** Options shared by both validators: lenient about unknown keywords, no formats, no registry. */
const AJV_OPTIONS = {
  strict: false,
  allErrors: false,
  addUsedSchema: false,
  validateFormats: false,
} as const;

function validatorFor(schema: Readonly<Record<string, unknown>>): Ajv | Ajv2020 {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/2020-12|2019-09/.test(dialect)) {
    draft2020 ??= new Ajv2020(AJV_OPTIONS);
    return draft2020;
  }
  draft07 ??= new Ajv(AJV_OPTIONS);
  return draft07;
}

/**
 * The ajv 8 validator of `schema`, compiled once and cached by the schema object's identity
 * (reuse the same object across examples to compile it once). Schemas declaring draft 2019-09 or
 * 2020-12 in `$schema` use ajv's 2020 dialect; others draft-07. `format` is not checked.
 *
 * @throws the ajv error when the schema itself is invalid.
 */
export function compileJsonSchema(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = validatorFor(schema).compile(schema as Record<string, unknown>);
    compiled.set(schema, validate);
  }
  return validate;
}
