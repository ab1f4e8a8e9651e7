import { ComponentArgsError } from "../../../components/validation";

/** The problems a component constructor refused its arguments with; fails when it did not refuse them. */
export function problemsOf(create: () => unknown) {
  try {
    create();
  } catch (err) {
    if (err instanceof ComponentArgsError) return err.problems;
    throw err;
  }
  throw new Error("expected a ComponentArgsError");
}
