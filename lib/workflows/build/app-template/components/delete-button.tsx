"use client";

import { useActionState } from "react";

export function DeleteButton({ action }: { action: (state: { error?: string }, form: FormData) => Promise<{ error?: string }> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="inline">
      <button type="submit" className="danger" disabled={pending}>Delete</button>
      {state.error && <p role="alert" className="form-error">{state.error}</p>}
    </form>
  );
}
