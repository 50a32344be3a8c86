"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import type { WorkflowInfo } from "@/lib/realtime/protocol.ts";
import { AccountMenu } from "./account-menu.tsx";

/** The title, the connection, "New session", the notification setting, extra tools, the account. */
export function TopBar({
  connection,
  connected,
  workflows,
  onStart,
  notifications,
  tools,
  account,
}: {
  connection: string;
  connected: boolean;
  workflows: readonly WorkflowInfo[];
  onStart: (workflowName: string) => void;
  notifications: { supported: boolean; on: boolean; denied: boolean; turnOn(): void; turnOff(): void };
  /** Room for more buttons (e.g. a "Go to session" switcher). */
  tools?: ReactNode;
  account?: { email: string };
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  const startable = workflows.filter((w) => w.startable);

  // Close the new-session menu on Escape or an outside click.
  useEffect(() => {
    if (!menuOpen) return;
    menuRef.current?.querySelector("button")?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== newButtonRef.current) setMenuOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setMenuOpen(false);
        newButtonRef.current?.focus();
      }
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [menuOpen]);

  return (
    <header className="topbar">
      <h1>Tabflow</h1>
      <span role="status" className={`connection conn-${connected ? "ok" : "down"}`}>
        {connection}
      </span>
      <div className="new-session">
        <button
          ref={newButtonRef}
          type="button"
          className="primary"
          aria-haspopup="true"
          aria-expanded={menuOpen}
          aria-controls="new-session-menu"
          onClick={() => setMenuOpen((o) => !o)}
        >
          New session
        </button>
        {menuOpen && (
          <div id="new-session-menu" ref={menuRef} className="menu" aria-label="Start a workflow">
            {startable.length === 0 && <p className="muted small">No workflows available.</p>}
            {startable.map((w) => (
              <button
                key={w.name}
                type="button"
                onClick={() => {
                  setMenuOpen(false);
                  onStart(w.name);
                }}
                title={w.description}
              >
                {w.title}
              </button>
            ))}
          </div>
        )}
      </div>
      {tools}
      {notifications.supported &&
        (notifications.on ? (
          <button type="button" onClick={notifications.turnOff}>
            Turn off notifications
          </button>
        ) : (
          <button
            type="button"
            onClick={notifications.turnOn}
            disabled={notifications.denied}
            title={notifications.denied ? "Notifications are blocked for this site in the browser's settings" : "Tell me when a session in the background needs me, finishes or fails"}
          >
            Turn on notifications
          </button>
        ))}
      {account && <AccountMenu email={account.email} />}
    </header>
  );
}
