/** Why a job was aborted: the user pressed Stop, or the process is shutting down. */
export class JobAbort extends Error {
  constructor(readonly reason: "stopped" | "shutdown") {
    super(reason === "stopped" ? "stopped by the user" : "the server is shutting down");
    this.name = "JobAbort";
  }
}
