"""`python -m clickup_simulator`: the simulator's command on its own (see `cli`)."""

from clickup_simulator.cli import simulator

if __name__ == "__main__":
    simulator(prog_name="python -m clickup_simulator")
