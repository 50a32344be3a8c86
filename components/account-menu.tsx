"use client";


/** Goes to the sign-in page (after a refused or ended socket session). */
export function goToSignIn(): void {
  if (window.location.pathname !== "/sign-in") window.location.assign("/sign-in");
}

/**
 * Sends the browser to sign in when the server refuses the socket (no, forged or expired
 * session) or drops it because the session ended (signed out elsewhere, expired).
 */
export function redirectWhenSignedOut(socket: { on(event: "connect_error", cb: (err: Error & { data?: { code?: string } }) => void): unknown; on(event: "disconnect", cb: (reason: string) => void): unknown }): void {
  socket.on("connect_error", (err) => {
    if (err?.data?.code === "unauthorized") goToSignIn();
  });
  socket.on("disconnect", (reason) => {
    // The server closing the socket on purpose means the sign-in session ended.
    if (reason === "io server disconnect") goToSignIn();
  });
}

/**
 * Who is signed in, and the Sign out button: a plain form post to /sign-out, so a click works
 * even before the page has hydrated (a click handler attached by React would miss it).
 */
export function AccountMenu({ email }: { email: string }) {
  return (
    <form className="account" method="post" action="/sign-out">
      <span className="muted small" title="Signed in as">
        {email}
      </span>
      <button type="submit">Sign out</button>
    </form>
  );
}
