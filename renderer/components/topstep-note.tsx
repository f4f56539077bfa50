// The Topstep rule shown wherever ProjectX accounts are added or edited.
export function TopstepNote() {
  return (
    <p className="note" role="note" data-testid="topstep-note">
      <strong>Topstep:</strong> Topstep forbids placing orders from a VPS or any remote server. Run Mirrordesk on your own
      workstation for TopstepX accounts.
    </p>
  );
}
